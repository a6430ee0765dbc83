package org.openfoundry.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.json.JsonMapper;

class AttachmentInlinerTest {
  private static final URI CAT = URI.create("https://files.example.com/cat.png");
  private static final URI DOC = URI.create("https://files.example.com/readme.txt");

  private final List<Long> caps = new ArrayList<>();
  private final Map<URI, byte[]> served =
      Map.of(CAT, TestImages.png(8, 8), DOC, "hello".getBytes());
  private final ImageFetcher fetcher =
      (url, maxBytes) -> {
        caps.add(maxBytes);
        return new FetchedImage(served.get(url), Optional.of("application/octet-stream"));
      };

  private static Conversation asking(URI url) {
    return Conversation.of(
        new Message(
            Role.USER,
            List.of(new TextPart("What is this?"), new ImageUrlPart(url, Optional.empty()))));
  }

  @Test
  void fetches_image_urls_and_inlines_them_with_their_real_type() {
    AttachmentInliner inliner = new AttachmentInliner(fetcher, ConversationLimits.defaults());

    Conversation inlined = inliner.inline(asking(CAT));

    assertThat(inlined.messages().getFirst().parts())
        .containsExactly(new TextPart("What is this?"), ImagePart.of("image/png", served.get(CAT)));
    assertThat(caps).containsExactly(ConversationLimits.defaults().maxImageBytes());
    assertThat(inlined.hasImageUrls()).isFalse();
  }

  @Test
  void inlines_only_when_the_run_asks_for_attachments() {
    AttachmentInliner inliner = new AttachmentInliner(fetcher, ConversationLimits.defaults());
    JsonMapper mapper = JsonMapper.builder().build();

    assertThat(inliner.prepare(asking(CAT), mapper.readTree("{\"use_attachments\": false}")))
        .isEqualTo(asking(CAT));
    assertThat(
            inliner
                .prepare(asking(CAT), mapper.readTree("{\"use_attachments\": true}"))
                .hasImageUrls())
        .isFalse();
    assertThat(caps).hasSize(1);
  }

  @Test
  void rejects_a_fetched_file_that_is_not_an_image() {
    AttachmentInliner inliner = new AttachmentInliner(fetcher, ConversationLimits.defaults());

    assertThatThrownBy(() -> inliner.inline(asking(DOC)))
        .isInstanceOfSatisfying(
            FoundryException.class,
            error -> {
              assertThat(error.code()).isEqualTo(ErrorCode.INVALID_INPUT);
              assertThat(error.problems().getFirst().format())
                  .isEqualTo(
                      "prompt[0].parts[1]: the bytes are not a PNG, JPEG, GIF or WebP image"
                          + " (declared application/octet-stream)");
            });
  }

  @Test
  void keeps_the_conversation_within_its_total_size() {
    int image = served.get(CAT).length;
    AttachmentInliner inliner =
        new AttachmentInliner(
            fetcher, new ConversationLimits(10, image + 5, image, Set.of("image/png")));

    assertThatThrownBy(() -> inliner.inline(asking(CAT)))
        .isInstanceOfSatisfying(
            FoundryException.class,
            error -> {
              assertThat(error.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
              assertThat(error.getMessage()).contains("past prompt[0].parts[1]");
            });
  }
}
