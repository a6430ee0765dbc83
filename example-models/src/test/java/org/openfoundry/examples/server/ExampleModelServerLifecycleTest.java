package org.openfoundry.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ExampleModelServerLifecycleTest {

  @Test
  void hosts_the_bundled_models_on_a_free_port_until_closed() {
    URI base;
    try (ExampleModelServer server =
            ExampleModelServer.withExampleModels(ExampleServerConfig.defaults()).start();
        Http http = new Http()) {
      base = server.baseUri();

      assertThat(server.modelNames()).containsExactly("shapes", "language");
      assertThat(server.endpoint("shapes")).isEqualTo(URI.create(base + "/models/shapes"));
      assertThat(base.getPort()).isPositive();
      assertThat(http.get(base).status()).isEqualTo(200);
      assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> server.endpoint("nope")).hasMessageContaining("[shapes, language]");
    }
    assertThatThrownBy(() -> new Socket(base.getHost(), base.getPort()).close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void refuses_a_port_out_of_range_and_a_blank_token() {
    assertThatThrownBy(() -> ExampleServerConfig.defaults().withPort(70_000))
        .hasMessage("port must be 0 to 65535, got 70000");
    assertThatThrownBy(() -> ExampleServerConfig.defaults().withBearerToken(" "))
        .hasMessage("a bearer token must not be blank");
  }
}
