package org.openfoundry.directrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ConversationLimits;
import org.openfoundry.chat.ImageUrlPart;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.chat.TextPart;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.models.Model;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code use_attachments}: image URLs fetched through the endpoint client, capped, inlined. */
class ChatAttachmentsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long MAX_IMAGE = 4_000;

  private final ChatFixture fixture =
      new ChatFixture(
          new ConversationLimits(16, 64_000, MAX_IMAGE, ConversationLimits.COMMON_IMAGE_TYPES));
  private final FakeEndpoint endpoint =
      FakeEndpoint.answering(Reply.json("{\"text\": \"a small square\"}"));
  private final byte[] small = png(4, new SplittableRandom(1));
  private final byte[] large = png(120, new SplittableRandom(2));
  private final HttpServer images = serve(small, large);

  @AfterEach
  void close() {
    images.stop(0);
    endpoint.close();
    fixture.close();
  }

  @Test
  void fetches_and_inlines_image_urls_when_asked() throws Exception {
    Model model = fixture.model(ChatFixture.manifest("seer", endpoint.uri(), ""));
    JsonNode params = JSON.readTree("{\"use_attachments\": true}");

    Conversation inlined = fixture.service.attachments(conversation("/small.png"), params);
    fixture.service.chat(fixture.service.target(model.id(), OptionalInt.empty(), params), inlined);

    JsonNode part = JSON.readTree(endpoint.requests().getFirst().body()).at("/prompt/0/parts/1");
    assertThat(part.get("media_type").asString()).isEqualTo("image/png");
    assertThat(Base64.getDecoder().decode(part.get("image").asString())).isEqualTo(small);
    assertThat(part.has("image_url")).isFalse();
    assertThat(
            JSON.readTree(endpoint.requests().getFirst().body())
                .get("inference_params")
                .has("use_attachments"))
        .isFalse();
  }

  @Test
  void refuses_an_image_past_the_size_cap_before_calling_the_model() {
    assertThat(large.length).isGreaterThan((int) MAX_IMAGE);

    assertThatThrownBy(
            () ->
                fixture.service.attachments(
                    conversation("/large.png"), JSON.readTree("{\"use_attachments\": true}")))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> assertThat(failure.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
    assertThat(endpoint.requests()).isEmpty();
  }

  private Conversation conversation(String path) {
    URI url = URI.create("http://127.0.0.1:" + images.getAddress().getPort() + path);
    return Conversation.of(
        new Message(
            Role.USER,
            List.of(new TextPart("What is this?"), new ImageUrlPart(url, Optional.empty()))));
  }

  /** A square PNG of random pixels: noise does not compress, so size follows the side. */
  private static byte[] png(int side, SplittableRandom random) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < side; x++) {
      for (int y = 0; y < side; y++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static HttpServer serve(byte[] small, byte[] large) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            byte[] body = exchange.getRequestURI().getPath().equals("/small.png") ? small : large;
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
