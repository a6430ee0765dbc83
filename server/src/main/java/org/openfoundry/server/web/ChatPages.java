package org.openfoundry.server.web;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import org.openfoundry.chat.ConversationLimits;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.server.Ids;

/**
 * The chat pages: a playground per model (a multi-turn conversation with images, a system prompt
 * and the model's parameter form), side by side over several models with judgments, and the
 * comparisons with their win rates. The pages hold no conversation themselves: their scripts send
 * it to the chat and comparison API with the session, so the pages and the API refuse the same
 * things.
 */
final class ChatPages {
  /**
   * The largest image the pages attach. Images travel as base64 inside one JSON request body, so
   * this leaves room for the rest of the conversation within the default request body limit.
   */
  static final long MAX_IMAGE_BYTES = 5L << 20;

  /** The most image bytes one conversation may carry, history included, for the same reason. */
  static final long MAX_CONVERSATION_IMAGE_BYTES = 7L << 20;

  private static final int MODELS_LISTED = 500;

  private final ModelRepository models;
  private final Pages pages;

  ChatPages(ModelRepository models, Pages pages) {
    this.models = requireNonNull(models, "models is null");
    this.pages = requireNonNull(pages, "pages is null");
  }

  void register(WebUi.Router router) {
    router.get("/chat", this::home);
    router.get("/chat/compare", this::compare);
    router.get("/chat/comparisons", this::comparisons);
    router.get("/models/{id}/chat", this::playground);
  }

  /** What the composer accepts, written into the page for its script. */
  record Limits(long maxImageBytes, long maxConversationImageBytes, String imageTypes) {
    static Limits standard() {
      Set<String> types = ConversationLimits.defaults().imageMediaTypes();
      return new Limits(
          Math.min(MAX_IMAGE_BYTES, ConversationLimits.defaults().maxImageBytes()),
          MAX_CONVERSATION_IMAGE_BYTES,
          String.join(",", types.stream().sorted().toList()));
    }
  }

  /** A model that can be chatted with, as the chat pages list it. */
  record ModelChoice(String id, String name, int version, String description) {}

  record ChatHomePage(Chrome chrome, List<ModelChoice> models) {}

  record PlaygroundPage(
      Chrome chrome,
      ModelChoice model,
      boolean archived,
      List<ParameterForm.Field> parameters,
      String schema,
      Limits limits) {}

  record ComparePage(Chrome chrome, List<ModelChoice> models, List<String> chosen, Limits limits) {
    boolean isChosen(String id) {
      return chosen.contains(id);
    }
  }

  record ComparisonsPage(Chrome chrome) {}

  private void home(Visit visit) {
    pages.send(visit.ctx(), "chat.jte", new ChatHomePage(visit.chrome("Chat", "chat"), choices()));
  }

  private void compare(Visit visit) {
    List<String> chosen = visit.ctx().queryParams("model");
    pages.send(
        visit.ctx(),
        "compare.jte",
        new ComparePage(
            visit.chrome("Side by side", "chat"), choices(), chosen, Limits.standard()));
  }

  private void comparisons(Visit visit) {
    pages.send(
        visit.ctx(), "comparisons.jte", new ComparisonsPage(visit.chrome("Comparisons", "chat")));
  }

  private void playground(Visit visit) {
    ModelId id = Ids.parse(visit.ctx().pathParam("id"), ModelId.PREFIX, ModelId::new, "model");
    Model model =
        models
            .get(id)
            .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no model with id " + id));
    Manifest manifest = manifest(model);
    pages.send(
        visit.ctx(),
        "playground.jte",
        new PlaygroundPage(
            visit.chrome("Chat with " + model.name(), "chat"),
            choice(model, manifest),
            model.isArchived(),
            ParameterForm.fields(manifest.parameters(), name -> null, FieldErrors.none()),
            manifest.parameters().json().map(Object::toString).orElse("{}"),
            Limits.standard()));
  }

  private List<ModelChoice> choices() {
    return models.list(PageRequest.first(MODELS_LISTED)).items().stream()
        .filter(model -> !model.isArchived())
        .map(model -> choice(model, manifest(model)))
        .toList();
  }

  private static ModelChoice choice(Model model, Manifest manifest) {
    return new ModelChoice(
        model.id().value(), model.name(), model.latestVersion(), manifest.description().orElse(""));
  }

  private Manifest manifest(Model model) {
    return ModelPages.manifest(ModelPages.latest(models, model));
  }
}
