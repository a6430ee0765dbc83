package org.openfoundry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/**
 * A table of malformed manifests, each with the one problem it must report: its position, its path
 * and its message, exactly as the command line prints it.
 */
class MalformedManifestTest {
  private static final String HEAD =
      "name: m\ninference_endpoint: https://models.example.com/predict\n";

  static Stream<Arguments> manifests() {
    return Stream.of(
        // syntax and structure
        malformed(
            "bad YAML syntax",
            "name: [unclosed\ninference_endpoint: x\n",
            "model.yaml:2:19 YAML syntax error: expected ',' or ']', but got : (while parsing a"
                + " flow sequence that starts at line 1, column 7)"),
        malformed(
            "a tab where indentation belongs",
            "name: m\n\tinference_endpoint: x\n",
            "model.yaml:2:1 YAML syntax error: found character '\\t(TAB)' that cannot start any"
                + " token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)"),
        malformed(
            "an alias bomb",
            aliasBomb(),
            "model.yaml:7:28 the document uses more than 50 aliases; a manifest needs few"),
        malformed(
            "a huge document",
            HEAD + "readme: " + "x".repeat(YamlTree.MAX_CODE_POINTS) + "\n",
            "the document is larger than 1 MiB (1048576 characters); a manifest is far smaller"),
        malformed(
            "nesting too deep",
            HEAD + "ontology: " + "[".repeat(70) + "]".repeat(70) + "\n",
            "model.yaml:3:74 values are nested more than 64 levels deep"),
        malformed(
            "duplicate key",
            HEAD + "name: again\n",
            "model.yaml:3:1 name: duplicate key (first written at model.yaml:1:1)"),
        malformed(
            "duplicate nested key",
            HEAD + "timeouts:\n  read: 1s\n  read: 2s\n",
            "model.yaml:5:3 timeouts.read: duplicate key (first written at model.yaml:4:3)"),
        malformed(
            "two documents",
            HEAD + "---\nname: other\n",
            "model.yaml:3:1 YAML syntax error: expected a single document in the stream, but found"
                + " another document"),
        malformed(
            "empty file",
            "# nothing but a comment\n",
            "model.yaml:1:1 the file is empty; a manifest is a mapping of keys such as name and"
                + " inference_endpoint"),
        malformed(
            "a top-level list",
            "- name: m\n",
            "model.yaml:1:1 expected a mapping of manifest keys (name, inference_endpoint, ...),"
                + " got a list"),
        malformed(
            "a top-level scalar",
            "just words\n",
            "model.yaml:1:1 expected a mapping of manifest keys (name, inference_endpoint, ...),"
                + " got \"just words\""),
        malformed(
            "a tag whose escape is cut off at the end of the text",
            HEAD + "description: !%E",
            "model.yaml:3:14 YAML syntax error: Tag must not contain leading or trailing spaces."),
        malformed(
            "an arbitrary type tag",
            HEAD + "description: !!java.io.File /etc/passwd\n",
            "model.yaml:3:14 description: the tag !!java.io.File is not allowed: a manifest holds"
                + " only strings, numbers, booleans, null, lists and mappings"),
        malformed(
            "a binary value",
            HEAD + "readme: !!binary aGVsbG8=\n",
            "model.yaml:3:9 readme: the tag !!binary is not allowed: a manifest holds only strings,"
                + " numbers, booleans, null, lists and mappings"),
        malformed(
            "a local tag",
            HEAD + "adapter: !custom thing\n",
            "model.yaml:3:10 adapter: the tag !custom is not allowed: a manifest holds only"
                + " strings, numbers, booleans, null, lists and mappings"),
        malformed(
            "an infinite rate",
            HEAD + "requests_per_second: .inf\n",
            "model.yaml:3:22 requests_per_second: expected a finite number, got .inf (JSON has no"
                + " infinity or NaN)"),
        malformed(
            "a mapping as a key",
            HEAD + "? {a: 1}\n: value\n",
            "model.yaml:3:3 a key must be a plain word, not a list or a mapping"),
        // required keys and wrong types
        malformed(
            "missing name",
            "inference_endpoint: https://models.example.com/predict\n",
            "model.yaml:1:1 name: is required"),
        malformed(
            "missing endpoint", "name: m\n", "model.yaml:1:1 inference_endpoint: is required"),
        malformed(
            "a number for the name",
            "name: 12\ninference_endpoint: https://models.example.com/predict\n",
            "model.yaml:1:1 name: expected a string, got 12 (put it in quotes)"),
        malformed(
            "a name too long",
            "name: "
                + "n".repeat(201)
                + "\ninference_endpoint: https://models.example.com/predict\n",
            "model.yaml:1:1 name: expected a name of at most 200 characters, got \""
                + "n".repeat(60)
                + "\"... (a string of 201 characters)"),
        malformed(
            "a string for the rate",
            HEAD + "requests_per_second: fast\n",
            "model.yaml:3:1 requests_per_second: expected a number, got \"fast\""),
        malformed(
            "a quoted number for the rate",
            HEAD + "requests_per_second: \"0.5\"\n",
            "model.yaml:3:1 requests_per_second: expected a number, got \"0.5\""),
        malformed(
            "a negative rate",
            HEAD + "requests_per_second: -1\n",
            "model.yaml:3:1 requests_per_second: expected a positive number of requests per second"
                + " (0.1 means one call every 10 s; leave the key out for no limit), got -1"),
        malformed(
            "a zero rate",
            HEAD + "requests_per_second: 0.0\n",
            "model.yaml:3:1 requests_per_second: expected a positive number of requests per second"
                + " (0.1 means one call every 10 s; leave the key out for no limit), got 0.0"),
        malformed(
            "a single asset type instead of a list",
            HEAD + "allowed_asset_types: image\n",
            "model.yaml:3:1 allowed_asset_types: expected a list, got \"image\""),
        malformed(
            "an unknown asset type",
            HEAD + "allowed_asset_types: [image, audio]\n",
            "model.yaml:3:30 allowed_asset_types[1]: expected image, text, video, html,"
                + " conversational, got \"audio\""),
        malformed(
            "an empty list of feature kinds",
            HEAD + "allowed_feature_kinds: []\n",
            "model.yaml:3:1 allowed_feature_kinds: expected at least one feature kind (text, radio,"
                + " checklist, rectangle, raster-segmentation, named-entity, polygon, point, edge),"
                + " got an empty list"),
        malformed(
            "a misspelt feature kind",
            HEAD + "allowed_feature_kinds: [rectangel]\n",
            "model.yaml:3:25 allowed_feature_kinds[0]: expected text, radio, checklist, rectangle,"
                + " raster-segmentation, named-entity, polygon, point, edge, got \"rectangel\" (did"
                + " you mean `rectangle`?)"),
        malformed(
            "a list for the ontology",
            HEAD + "ontology: []\n",
            "model.yaml:3:1 ontology: expected a mapping, got an empty list"),
        malformed(
            "a string for max_tokens",
            HEAD + "max_tokens: many\n",
            "model.yaml:3:1 max_tokens: expected a positive integer, got \"many\""),
        malformed(
            "a fraction for max_concurrency",
            HEAD + "max_concurrency: 2.5\n",
            "model.yaml:3:1 max_concurrency: expected an integer from 1 to 1000, got 2.5"),
        malformed(
            "a number for timeouts",
            HEAD + "timeouts: 5\n",
            "model.yaml:3:1 timeouts: expected a mapping, got 5"),
        malformed(
            "a duration with a unit it does not know",
            HEAD + "timeouts: {read: 5 days}\n",
            "model.yaml:3:12 timeouts.read: expected a duration such as 500ms, 10s, 2m or a number"
                + " of seconds, got \"5 days\""),
        malformed(
            "a zero timeout",
            HEAD + "timeouts: {connect: 0s}\n",
            "model.yaml:3:12 timeouts.connect: expected a positive duration, got \"0s\""),
        malformed(
            "a response cap too large",
            HEAD + "max_response_bytes: 2GiB\n",
            "model.yaml:3:1 max_response_bytes: expected a size from 1 byte to 1024MiB, got"
                + " \"2GiB\""),
        malformed(
            "a header the platform sets",
            HEAD + "auth: {header: Idempotency-Key}\n",
            "model.yaml:3:8 auth.header: the platform sets the Idempotency-Key header itself;"
                + " choose another"),
        malformed(
            "a header with a space",
            HEAD + "auth: {header: X Api Key}\n",
            "model.yaml:3:8 auth.header: expected an HTTP header name such as X-Api-Key, got \"X Api"
                + " Key\""),
        malformed(
            "a secret that is a boolean",
            HEAD + "secrets: [token, true]\n",
            "model.yaml:3:18 secrets[1]: expected a string, got a boolean (put it in quotes)"),
        // endpoints
        malformed(
            "a relative endpoint",
            "name: m\ninference_endpoint: /predict\n",
            "model.yaml:2:1 inference_endpoint: expected an absolute http or https URL such as"
                + " https://models.example.com/predict, got \"/predict\""),
        malformed(
            "an ftp endpoint",
            "name: m\ninference_endpoint: ftp://models.example.com/predict\n",
            "model.yaml:2:1 inference_endpoint: expected an http or https URL, got"
                + " \"ftp://models.example.com/predict\""),
        malformed(
            "an endpoint without a host",
            "name: m\ninference_endpoint: https:///predict\n",
            "model.yaml:2:1 inference_endpoint: expected a URL with a host name, got"
                + " \"https:///predict\""),
        malformed(
            "an endpoint with spaces",
            "name: m\ninference_endpoint: https://models.example.com/my model\n",
            "model.yaml:2:1 inference_endpoint: expected an absolute http or https URL such as"
                + " https://models.example.com/predict, got \"https://models.example.com/my model\""
                + " (Illegal character in path)"),
        // ontology
        malformed(
            "a rectangle on a text-only model",
            HEAD
                + "allowed_asset_types: [text]\n"
                + "ontology:\n  tools:\n    - name: box\n      tool: rectangle\n",
            "model.yaml:7:7 ontology.tools[0].tool: a rectangle does not fit the model's asset type"
                + " text (it fits image, video)"),
        malformed(
            "an entity on an image ontology",
            HEAD + "ontology:\n  media_type: IMAGE\n  tools: [{name: who, tool: ner}]\n",
            "model.yaml:5:23 ontology.tools[0].tool: a named-entity does not fit the ontology's"
                + " media type image (it fits text, html, conversational)"),
        malformed(
            "a media type the model does not allow",
            HEAD + "allowed_asset_types: [image]\nontology: {media_type: text}\n",
            "model.yaml:4:12 ontology.media_type: text is not among the allowed asset types"
                + " (image)"),
        malformed(
            "a feature kind the model does not allow",
            HEAD
                + "allowed_feature_kinds: [rectangle]\n"
                + "ontology:\n  classifications: [{name: mood, type: text}]\n",
            "model.yaml:5:34 ontology.classifications[0].type: text is not among the allowed"
                + " feature kinds (rectangle)"),
        malformed(
            "a tool and a classification with one name",
            HEAD
                + "ontology:\n"
                + "  tools: [{name: cat, tool: rectangle}]\n"
                + "  classifications: [{name: Cat, type: text}]\n",
            "model.yaml:5:22 ontology.classifications[0].name: duplicate feature name \"Cat\" (also"
                + " ontology.tools[0].name)"),
        malformed(
            "a radio without options",
            HEAD + "ontology:\n  classifications:\n    - name: mood\n      type: radio\n",
            "model.yaml:5:7 ontology.classifications[0]: a radio classification needs at least one"
                + " option"),
        malformed(
            "a checklist with an empty list of options",
            HEAD + "ontology:\n  classifications: [{name: tags, type: checklist, options: []}]\n",
            "model.yaml:4:51 ontology.classifications[0].options: a checklist classification needs"
                + " at least one option"),
        malformed(
            "two options with one value",
            HEAD
                + "ontology:\n  classifications:\n    - name: mood\n      type: radio\n"
                + "      options: [{value: up}, {label: Up, value: up}]\n",
            "model.yaml:7:30 ontology.classifications[0].options[1]: duplicate option value \"up\""
                + " (also ontology.classifications[0].options[0])"),
        malformed(
            "a nested classification without options",
            HEAD
                + "ontology:\n  tools:\n    - name: car\n      tool: rectangle\n"
                + "      classifications: [{name: make, type: checklist}]\n",
            "model.yaml:7:25 ontology.tools[0].classifications[0]: a checklist classification needs"
                + " at least one option"),
        malformed(
            "a tool kind that is a classification type",
            HEAD + "ontology:\n  tools: [{name: mood, tool: radio}]\n",
            "model.yaml:4:24 ontology.tools[0].tool: expected a tool kind (rectangle,"
                + " raster-segmentation, named-entity, polygon, point, edge), got \"radio\""),
        malformed(
            "a text classification with options",
            HEAD
                + "ontology:\n  classifications: [{name: note, type: text, options: [{value: a}]}]\n",
            "model.yaml:4:46 ontology.classifications[0].options: a text classification takes no"
                + " options"),
        // the parameter schema
        malformed(
            "a misspelt type in the schema",
            HEAD
                + "inference_params_json_schema:\n  properties:\n    prompt:\n      type: strnig\n",
            "model.yaml:6:7 inference_params_json_schema.properties.prompt.type: expected one of"
                + " \"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", \"string\","
                + " got \"strnig\" (did you mean \"string\"?)"),
        malformed(
            "a word for a maximum",
            HEAD
                + "inference_params_json_schema:\n  properties:\n    confidence:\n"
                + "      type: number\n      maximum: high\n",
            "model.yaml:7:7 inference_params_json_schema.properties.confidence.maximum: expected a"
                + " number, got \"high\""),
        malformed(
            "a default above its own maximum",
            HEAD
                + "inference_params_json_schema:\n  properties:\n    confidence:\n"
                + "      type: number\n      default: 1.5\n      minimum: 0.0\n      maximum: 1.0\n",
            "model.yaml:7:7 inference_params_json_schema.properties.confidence.default: must be at"
                + " most 1.0, got 1.5 (a default must fit its own schema)"),
        malformed(
            "a default of the wrong type",
            HEAD
                + "inference_params_json_schema:\n  properties:\n    steps:\n"
                + "      type: integer\n      default: \"10\"\n",
            "model.yaml:7:7 inference_params_json_schema.properties.steps.default: expected an"
                + " integer, got \"10\" (a default must fit its own schema)"),
        malformed(
            "a required parameter that is not declared",
            HEAD
                + "inference_params_json_schema:\n  properties:\n    prompt: {type: string}\n"
                + "  required: [promt]\n",
            "model.yaml:6:14 inference_params_json_schema.required[0]: names \"promt\", which is"
                + " not among the properties (did you mean `prompt`?)"),
        malformed(
            "a schema that is not an object schema",
            HEAD + "inference_params_json_schema:\n  type: array\n",
            "model.yaml:4:3 inference_params_json_schema.type: inference parameters are an object,"
                + " so the type must be \"object\", got \"array\""),
        malformed(
            "a schema dialect it does not support",
            HEAD
                + "inference_params_json_schema:\n"
                + "  $schema: http://json-schema.org/draft-04/schema#\n",
            "model.yaml:4:3 inference_params_json_schema.$schema: expected"
                + " https://json-schema.org/draft/2020-12/schema (the default) or"
                + " http://json-schema.org/draft-07/schema#, got"
                + " \"http://json-schema.org/draft-04/schema#\""),
        malformed(
            "a reference to a remote schema",
            HEAD + "inference_params_json_schema:\n  $ref: https://schemas.example.com/p.json\n",
            "model.yaml:3:1 inference_params_json_schema: is not a usable JSON Schema: Schema from"
                + " 'https://schemas.example.com/p.json' is not allowed to be loaded."),
        malformed(
            "a pattern that is not a regular expression",
            HEAD
                + "inference_params_json_schema:\n  properties:\n    code: {type: string, pattern:"
                + " \"[a-\"}\n",
            "model.yaml:5:26 inference_params_json_schema.properties.code.pattern: expected a"
                + " regular expression, got \"[a-\" (Illegal character range near index 3)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void reports_the_problem_at_its_position_with_its_path_and_message(
      String description, String yaml, String expected) {
    assertThatThrownBy(() -> new ManifestLoader().load("model.yaml", yaml))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> {
              assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
              assertThat(thrown.problems()).extracting(Problem::format).contains(expected);
            });
  }

  /** Ten levels of nine aliases each: a billion values if it were expanded. */
  private static String aliasBomb() {
    StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (char level = 'b'; level <= 'j'; level++) {
      bomb.append(level).append(": &").append(level).append(" [");
      bomb.append(("*" + (char) (level - 1) + ", ").repeat(9)).append("]\n");
    }
    return bomb.toString();
  }

  private static Arguments malformed(String description, String yaml, String expected) {
    return Arguments.of(description, yaml, expected);
  }
}
