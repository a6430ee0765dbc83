package org.openfoundry.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamTest {
  private final List<String> events = new ArrayList<>();
  private int keepAlives;

  private final EventListener listener =
      new EventListener() {
        @Override
        public boolean event(String name, String data) {
          events.add(name + "=" + data);
          return !name.equals("finished");
        }

        @Override
        public void keepAlive() {
          keepAlives++;
        }
      };

  @Test
  void reads_named_events_their_data_and_the_comments_in_between() {
    FoundryClient.readEvents(
        List.of(
                "event: progress",
                "data: {\"percent\": 10.0}",
                "",
                ": waiting",
                "",
                "event: progress",
                "data:{\"percent\": 20.0}",
                "")
            .iterator(),
        listener);

    assertThat(events)
        .containsExactly("progress={\"percent\": 10.0}", "progress={\"percent\": 20.0}");
    assertThat(keepAlives).isEqualTo(1);
  }

  @Test
  void joins_the_lines_of_a_multi_line_data_field_and_names_unnamed_events_message() {
    FoundryClient.readEvents(List.of("data: first", "data: second", "").iterator(), listener);

    assertThat(events).containsExactly("message=first\nsecond");
  }

  @Test
  void stops_reading_when_the_listener_says_so() {
    FoundryClient.readEvents(
        List.of("event: finished", "data: {}", "", "event: progress", "data: {}", "").iterator(),
        listener);

    assertThat(events).containsExactly("finished={}");
  }

  @Test
  void an_event_cut_off_by_the_end_of_the_stream_is_still_delivered() {
    FoundryClient.readEvents(List.of("event: progress", "data: last").iterator(), listener);

    assertThat(events).containsExactly("progress=last");
  }
}
