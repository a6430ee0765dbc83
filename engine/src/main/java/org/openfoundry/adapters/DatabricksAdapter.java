package org.openfoundry.adapters;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.chat.Conversation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Databricks model serving ({@code /serving-endpoints/{name}/invocations}): a data row as {@code
 * dataframe_records}, columnar {@code inputs} or {@code instances}, with the inference parameters
 * as {@code params}; the answer is the first of {@code predictions}. Chat goes to chat endpoints as
 * OpenAI-style {@code messages} (answered by {@code choices}), or to custom models as one prompt
 * column.
 */
final class DatabricksAdapter implements Adapter {
  static final String NAME = "databricks";

  private enum InputFormat {
    DATAFRAME_RECORDS,
    INPUTS,
    INSTANCES
  }

  private enum ChatFormat {
    MESSAGES,
    DATAFRAME_RECORDS
  }

  private final URI endpoint;
  private final InputFormat inputFormat;
  private final String rowColumn;
  private final boolean includeIds;
  private final boolean sendParams;
  private final Optional<String> predictionKey;
  private final ChatFormat chatFormat;
  private final String promptColumn;
  private final Answers answers;

  private DatabricksAdapter(Settings settings) {
    this.endpoint = settings.endpoint;
    this.inputFormat = settings.inputFormat;
    this.rowColumn = settings.rowColumn;
    this.includeIds = settings.includeIds;
    this.sendParams = settings.sendParams;
    this.predictionKey = settings.predictionKey;
    this.chatFormat = settings.chatFormat;
    this.promptColumn = settings.promptColumn;
    this.answers = settings.answers;
  }

  private static final class Settings {
    URI endpoint;
    InputFormat inputFormat;
    String rowColumn;
    boolean includeIds;
    boolean sendParams;
    Optional<String> predictionKey;
    ChatFormat chatFormat;
    String promptColumn;
    Answers answers;
  }

  static DatabricksAdapter create(AdapterConfig config, Options options) {
    Settings settings = new Settings();
    settings.endpoint = config.endpoint();
    settings.inputFormat =
        options.choice(
            "input_format",
            InputFormat.DATAFRAME_RECORDS,
            Map.of(
                "dataframe_records", InputFormat.DATAFRAME_RECORDS,
                "inputs", InputFormat.INPUTS,
                "instances", InputFormat.INSTANCES));
    settings.rowColumn = options.string("row_column", "row_data");
    settings.includeIds = options.bool("include_ids", false);
    settings.sendParams = options.bool("send_params", true);
    settings.predictionKey = options.string("prediction_key");
    settings.chatFormat =
        options.choice(
            "chat_format",
            ChatFormat.MESSAGES,
            Map.of(
                "messages",
                ChatFormat.MESSAGES,
                "dataframe_records",
                ChatFormat.DATAFRAME_RECORDS));
    settings.promptColumn = options.string("prompt_column", "prompt");
    settings.answers = Answers.read(options);
    options.finish(NAME);
    return new DatabricksAdapter(settings);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AdapterResult run(TaskInput input, EndpointTransport transport) {
    ObjectNode record = Json.object();
    if (includeIds) {
      record.put("data_row_id", input.dataRowId().value());
      input.globalKey().ifPresent(key -> record.put("global_key", key));
    }
    record.put(rowColumn, input.rowData());
    ObjectNode body = Json.object();
    switch (inputFormat) {
      case DATAFRAME_RECORDS -> body.putArray("dataframe_records").add(record);
      case INSTANCES -> body.putArray("instances").add(record);
      case INPUTS -> {
        ObjectNode columns = body.putObject("inputs");
        record
            .properties()
            .forEach(entry -> columns.putArray(entry.getKey()).add(entry.getValue()));
      }
    }
    addParams(body, input.inferenceParams());
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body);
    String path = "predictions[0]" + predictionKey.map(key -> "." + key).orElse("");
    JsonNode prediction = prediction(raw, call);
    return call.rowResult(
        raw, answers.fromValue(prediction, input.ontology(), path, call), Optional.empty());
  }

  @Override
  public AdapterResult runDirect(
      Conversation conversation, ObjectNode params, EndpointTransport transport) {
    ObjectNode body = Json.object();
    switch (chatFormat) {
      case MESSAGES -> {
        body.set("messages", ChatFormats.openAiMessages(conversation));
        ChatFormats.openAiParams(params, body, "max_tokens");
      }
      case DATAFRAME_RECORDS -> {
        body.putArray("dataframe_records")
            .addObject()
            .put(promptColumn, ChatFormats.transcript(NAME, conversation));
        addParams(body, params);
      }
    }
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body);
    Optional<String> text = ChatFormats.openAiText(raw);
    if (text.isEmpty() && raw.has("predictions")) {
      JsonNode prediction = prediction(raw, call);
      text =
          prediction.isString()
              ? Optional.of(prediction.stringValue())
              : OpenFoundryAdapter.assistantText(prediction, Optional.empty());
    }
    return call.chatResult(raw, text, ChatFormats.openAiUsage(raw));
  }

  private void addParams(ObjectNode body, ObjectNode params) {
    if (sendParams && !params.isEmpty()) {
      body.set("params", params.deepCopy());
    }
  }

  private JsonNode prediction(JsonNode raw, Call call) {
    JsonNode predictions = raw.path("predictions");
    JsonNode first;
    if (predictions.isArray() && !predictions.isEmpty()) {
      first = predictions.get(0);
    } else if (predictions.isObject()) {
      first = predictions;
    } else {
      throw call.invalid(
          "predictions",
          "expected a non-empty list of predictions, got " + Json.describe(predictions));
    }
    if (predictionKey.isEmpty()) {
      return first;
    }
    JsonNode value = first.path(predictionKey.get());
    if (value.isMissingNode()) {
      throw call.invalid(
          "predictions[0]." + predictionKey.get(),
          "the prediction has no key \""
              + predictionKey.get()
              + "\" (adapter_options.prediction_key)");
    }
    return value;
  }
}
