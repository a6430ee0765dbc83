package org.openfoundry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openfoundry.adapters.TokenUsage;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ConversationLimits;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.comparisons.Answer;
import org.openfoundry.comparisons.Comparison;
import org.openfoundry.comparisons.ComparisonId;
import org.openfoundry.comparisons.ComparisonRepository;
import org.openfoundry.comparisons.Judgment;
import org.openfoundry.comparisons.JudgmentId;
import org.openfoundry.comparisons.MessageId;
import org.openfoundry.comparisons.Verdict;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DataRowReader;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.datasets.ImportReport;
import org.openfoundry.datasets.NewDataRow;
import org.openfoundry.directrun.ChatAnswer;
import org.openfoundry.directrun.ChatFailure;
import org.openfoundry.directrun.ChatModel;
import org.openfoundry.dispatch.AttemptOutcome;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.dispatch.ModelDemand;
import org.openfoundry.dispatch.RunDispatchContext;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersion;
import org.openfoundry.models.SecretChange;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.runs.AttemptResult;
import org.openfoundry.runs.DataRowSelection;
import org.openfoundry.runs.IllegalTransitionException;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunProgress;
import org.openfoundry.runs.RunResult;
import org.openfoundry.runs.RunSettings;
import org.openfoundry.runs.RunSpec;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskAttempt;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.runs.TaskId;
import org.openfoundry.runs.TaskState;
import org.openfoundry.runs.TaskView;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.secrets.SecretBox;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The store's contract, run against every database: subclasses say how to open a fresh one. Each
 * test makes its own models and datasets, so tests share a database without seeing each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {
  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  static final Duration LEASE = Duration.ofMinutes(1);
  static final JsonMapper JSON = JsonMapper.builder().build();

  final MutableClock clock = new MutableClock(START);
  Store store;

  /** Opens a fresh, empty database for this test class. */
  abstract Database openDatabase();

  /** Drops what {@link #openDatabase} made. */
  abstract void dropDatabase();

  @BeforeAll
  void openStore() {
    SecureRandom random = new SecureRandom();
    store = new Store(openDatabase(), new SecretBox(MasterKey.generate(random), random), clock);
  }

  @AfterAll
  void closeStore() {
    if (store != null) {
      store.close();
      dropDatabase();
    }
  }

  // ---- models -------------------------------------------------------------------------------

  @Test
  void creates_a_model_with_version_1_and_finds_it_by_id_and_name() {
    String name = unique("detector");
    Model model = store.models().create(name, manifest(name), Optional.empty());

    assertThat(model.latestVersion()).isEqualTo(1);
    assertThat(store.models().get(model.id())).contains(model);
    assertThat(store.models().findByName(name)).contains(model);
    ModelVersion version = store.models().version(model.latestVersionId()).orElseThrow();
    assertThat(version.manifest()).isEqualTo(manifest(name));
    assertThat(version.hasSecret()).isFalse();
  }

  @Test
  void refuses_a_second_model_with_a_taken_name_until_the_first_is_archived() {
    String name = unique("taken");
    Model first = store.models().create(name, manifest(name), Optional.empty());

    assertThatThrownBy(() -> store.models().create(name, manifest(name), Optional.empty()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
              assertThat(e.getMessage()).contains(name).contains(first.id().value());
            });

    Model archived = store.models().archive(first.id());
    assertThat(archived.isArchived()).isTrue();
    assertThat(store.models().findByName(name)).isEmpty();
    Model second = store.models().create(name, manifest(name), Optional.empty());
    assertThat(store.models().findByName(name)).contains(second);
    assertThat(store.models().get(first.id()).orElseThrow().isArchived()).isTrue();
  }

  @Test
  void adds_immutable_versions_that_keep_replace_or_remove_the_secret() {
    String name = unique("versioned");
    Model model =
        store.models().create(name, manifest(name), Optional.of(new SecretValue("first-secret")));
    ObjectNode second = manifest(name).put("description", "second");

    ModelVersion v2 = store.models().addVersion(model.id(), second, SecretChange.keep());
    ModelVersion v3 =
        store
            .models()
            .addVersion(model.id(), second, SecretChange.replace(new SecretValue("second-secret")));
    ModelVersion v4 = store.models().addVersion(model.id(), second, SecretChange.remove());

    List<ModelVersion> versions = store.models().versions(model.id());
    assertThat(versions).extracting(ModelVersion::version).containsExactly(1, 2, 3, 4);
    assertThat(versions.get(0).manifest()).isEqualTo(manifest(name));
    assertThat(v2.manifest().get("description").asString()).isEqualTo("second");
    assertThat(store.models().openSecret(versions.get(0)).map(SecretValue::reveal))
        .contains("first-secret");
    assertThat(store.models().openSecret(v2).map(SecretValue::reveal)).contains("first-secret");
    assertThat(store.models().openSecret(v3).map(SecretValue::reveal)).contains("second-secret");
    assertThat(store.models().openSecret(v4)).isEmpty();
    assertThat(store.models().get(model.id()).orElseThrow().latestVersionId()).isEqualTo(v4.id());
  }

  @Test
  void refuses_a_secret_that_cannot_go_out_as_a_header_value_and_keeps_the_model_as_it_was() {
    String name = unique("header-safe");
    Model model =
        store.models().create(name, manifest(name), Optional.of(new SecretValue("first-secret")));

    assertThatThrownBy(
            () ->
                store
                    .models()
                    .addVersion(
                        model.id(),
                        manifest(name),
                        SecretChange.replace(new SecretValue("pässwörd"))))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_INPUT);
              assertThat(failure.getMessage())
                  .isEqualTo(
                      "secret: character 2 of 8 is not printable ASCII; an HTTP header value"
                          + " takes printable ASCII only");
            });
    String other = unique("header-safe");
    assertThatThrownBy(
            () ->
                store
                    .models()
                    .create(
                        other, manifest(other), Optional.of(new SecretValue("token\r\nX-A: b"))))
        .hasMessageContaining("character 6 of 13 is a line break");
    assertThat(store.models().versions(model.id())).hasSize(1);
    assertThat(store.models().openSecret(store.models().versions(model.id()).getFirst()))
        .map(SecretValue::reveal)
        .contains("first-secret");
  }

  @Test
  void stores_manifests_as_canonical_json_with_sorted_keys() {
    String name = unique("canonical");
    ObjectNode manifest = JSON.createObjectNode().put("zeta", 1).put("alpha", 2).put("name", name);
    Model model = store.models().create(name, manifest, Optional.empty());

    String stored =
        store
            .database()
            .read(
                handle ->
                    handle
                        .createQuery("SELECT manifest FROM model_versions WHERE id = :id")
                        .bind("id", model.latestVersionId().value())
                        .mapTo(String.class)
                        .one());
    assertThat(stored).isEqualTo("{\"alpha\":2,\"name\":\"" + name + "\",\"zeta\":1}");
  }

  @Test
  void never_stores_a_secret_in_clear() {
    String secret = "sk-live-" + unique("needle");
    String name = unique("secretive");
    Model model = store.models().create(name, manifest(name), Optional.of(new SecretValue(secret)));

    byte[] stored =
        store
            .database()
            .read(
                handle ->
                    handle
                        .createQuery("SELECT secret FROM model_versions WHERE id = :id")
                        .bind("id", model.latestVersionId().value())
                        .map((resultSet, context) -> resultSet.getBytes(1))
                        .one());
    assertThat(contains(stored, secret.getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(stored.length).isGreaterThan(secret.length());
    ModelVersion version = store.models().version(model.latestVersionId()).orElseThrow();
    assertThat(version.toString()).doesNotContain(secret);
    assertThat(store.models().openSecret(version).orElseThrow().reveal()).isEqualTo(secret);
  }

  @Test
  void lists_models_page_by_page_with_a_cursor() {
    String prefix = unique("paged");
    List<ModelId> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(store.models().create(prefix + i, manifest(prefix + i), Optional.empty()).id());
    }
    List<ModelId> seen = new ArrayList<>();
    Optional<PageRequest> request = Optional.of(PageRequest.first(2));
    while (request.isPresent()) {
      Page<Model> page = store.models().list(request.get());
      assertThat(page.items().size()).isLessThanOrEqualTo(2);
      page.items().forEach(model -> seen.add(model.id()));
      request = page.nextRequest(2);
    }
    assertThat(seen).containsSubsequence(created);
    assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
  }

  // ---- datasets -----------------------------------------------------------------------------

  @Test
  void imports_rows_and_reports_a_taken_global_key_with_its_line() {
    Dataset dataset = store.datasets().create(unique("ds"), "");
    String key = unique("street") + ".jpg";
    List<NewDataRow> rows =
        List.of(
            imageRow(1, Optional.of(key)),
            imageRow(2, Optional.empty()),
            imageRow(3, Optional.of(key)),
            imageRow(4, Optional.of(unique("other"))));

    ImportReport report = store.datasets().importRows(dataset.id(), rows.iterator());

    assertThat(report.imported()).isEqualTo(3);
    assertThat(report.rejected()).isEqualTo(1);
    assertThat(report.problems()).hasSize(1);
    assertThat(report.problems().getFirst().format())
        .isEqualTo(
            "data-rows:3:1 global_key: global key \""
                + key
                + "\" is already taken by another data row");
    assertThat(store.datasets().count(dataset.id())).isEqualTo(3);
    assertThat(store.datasets().findByGlobalKeys(List.of(key, "no-such-key")))
        .extracting(DataRow::globalKey)
        .containsExactly(Optional.of(key));
  }

  @Test
  void imports_ndjson_reporting_bad_lines_and_taken_keys_together() {
    Dataset dataset = store.datasets().create(unique("ndjson"), "");
    String key = unique("k");
    String ndjson =
        String.join(
            "\n",
            "{\"row_data\": \"https://example.com/1.jpg\", \"media_type\": \"image\","
                + " \"global_key\": \""
                + key
                + "\"}",
            "{\"row_data\": \"https://example.com/2.jpg\"}",
            "{\"row_data\": \"https://example.com/3.jpg\", \"media_type\": \"image\","
                + " \"global_key\": \""
                + key
                + "\"}",
            "{\"row_data\": \"hello\", \"media_type\": \"text\"}");
    DataRowReader reader = DataRowReader.ndjson(new StringReader(ndjson));

    ImportReport report = reader.report(store.datasets().importRows(dataset.id(), reader));

    assertThat(report.imported()).isEqualTo(2);
    assertThat(report.rejected()).isEqualTo(2);
    assertThat(report.problems())
        .extracting(Problem::format)
        .containsExactly(
            "data-rows:2:1 media_type: is required",
            "data-rows:3:1 global_key: global key \""
                + key
                + "\" is already taken by another data row");
    assertThat(store.datasets().get(dataset.id()).orElseThrow().rowCount()).isEqualTo(2);
  }

  @Test
  void refuses_each_global_key_holding_half_a_character_instead_of_storing_a_question_mark() {
    Dataset dataset = store.datasets().create(unique("surrogates"), "");
    String prefix = unique("k");
    // JSON lets a string hold any \\u escape: the first two keys differ, and neither is text.
    String ndjson =
        String.join(
            "\n",
            "{\"row_data\": \"one\", \"media_type\": \"text\", \"global_key\": \""
                + prefix
                + "\\ud800\"}",
            "{\"row_data\": \"two\", \"media_type\": \"text\", \"global_key\": \""
                + prefix
                + "\\udbff\"}",
            "{\"row_data\": \"three\", \"media_type\": \"text\", \"global_key\": \""
                + prefix
                + "\\ud83d\\ude00\"}");
    DataRowReader reader = DataRowReader.ndjson(new StringReader(ndjson));

    ImportReport report = reader.report(store.datasets().importRows(dataset.id(), reader));

    assertThat(report.problems())
        .extracting(problem -> problem.position().orElseThrow().line(), Problem::path)
        .containsExactly(tuple(1, "global_key"), tuple(2, "global_key"));
    assertThat(store.datasets().rows(dataset.id(), PageRequest.first(10)).items())
        .extracting(DataRow::globalKey)
        .containsExactly(Optional.of(prefix + "\uD83D\uDE00"));
  }

  @Test
  void stores_row_data_of_the_most_characters_outside_the_basic_plane() {
    Dataset dataset = store.datasets().create(unique("emoji"), "");
    String text = "\uD83D\uDE00".repeat(NewDataRow.MAX_ROW_DATA_CHARS);
    NewDataRow row =
        new NewDataRow(
            1,
            Optional.empty(),
            text,
            AssetType.TEXT,
            JSON.createArrayNode(),
            JSON.createObjectNode());

    ImportReport report = store.datasets().importRows(dataset.id(), List.of(row).iterator());

    assertThat(report.imported()).isEqualTo(1);
    assertThat(store.datasets().rows(dataset.id(), PageRequest.first(1)).items())
        .extracting(DataRow::rowData)
        .containsExactly(text);
  }

  @Test
  void pages_rows_in_import_order_and_finds_them_by_id() {
    Dataset dataset = dataset(7, AssetType.IMAGE);
    List<DataRow> seen = new ArrayList<>();
    Optional<PageRequest> request = Optional.of(PageRequest.first(3));
    while (request.isPresent()) {
      Page<DataRow> page = store.datasets().rows(dataset.id(), request.get());
      seen.addAll(page.items());
      request = page.nextRequest(3);
    }
    assertThat(seen).hasSize(7);
    assertThat(seen)
        .extracting(DataRow::rowData)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, 7)
                .mapToObj(i -> "https://example.com/" + i + ".jpg")
                .toList());
    List<DataRowId> ids = seen.stream().map(DataRow::id).limit(2).toList();
    assertThat(store.datasets().findByIds(ids))
        .extracting(DataRow::id)
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(seen.getFirst().metadata().get("line").asInt()).isEqualTo(1);
  }

  @Test
  void refuses_a_cursor_it_did_not_make() {
    Dataset dataset = dataset(1, AssetType.IMAGE);
    assertThatThrownBy(
            () -> store.datasets().rows(dataset.id(), PageRequest.after("not a cursor!", 10)))
        .isInstanceOfSatisfying(
            FoundryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
  }

  // ---- runs ---------------------------------------------------------------------------------

  @Test
  void creates_a_run_with_one_queued_task_per_row_and_its_settings() {
    Model model = model();
    Dataset dataset = dataset(5, AssetType.IMAGE);
    RunSettings settings =
        new RunSettings(
            List.of("cat", "dog"),
            Map.of("kitty", "cat"),
            JSON.createObjectNode().put("confidence", 0.25),
            Set.of(AssetType.IMAGE),
            OptionalDouble.of(0.5));

    Run run =
        store
            .runs()
            .create(
                new RunSpec(
                    model.latestVersionId(),
                    new DataRowSelection.WholeDataset(dataset.id()),
                    settings));

    assertThat(run.state()).isEqualTo(RunState.QUEUED);
    assertThat(run.counts()).isEqualTo(new TaskCounts(5, 0, 0, 0, 0));
    assertThat(run.settings()).isEqualTo(settings);
    assertThat(run.dataset()).contains(dataset.id());
    assertThat(run.modelId()).isEqualTo(model.id());
    assertCountersMatchTasks(run.id());
    RunDispatchContext context = store.tasks().context(run.id());
    assertThat(context.features()).containsExactly("cat", "dog");
    assertThat(context.classMapping()).containsEntry("kitty", "cat");
    assertThat(context.inferenceParams().get("confidence").asDouble()).isEqualTo(0.25);
    assertThat(context.modelVersionId()).isEqualTo(model.latestVersionId());
    assertThat(context.secret().map(SecretValue::reveal)).contains("token");
    assertThat(context.manifest().get("name").asString()).isEqualTo(model.name());
  }

  @Test
  void creates_a_run_from_ids_or_global_keys_in_the_order_given() {
    Model model = model();
    Dataset dataset = dataset(4, AssetType.IMAGE);
    List<DataRow> rows = store.datasets().rows(dataset.id(), PageRequest.first(10)).items();

    Run byIds =
        createRun(
            model,
            new DataRowSelection.ByIds(
                List.of(rows.get(2).id(), rows.get(0).id(), rows.get(2).id())),
            Set.of(AssetType.IMAGE));
    Run byKeys =
        createRun(
            model,
            new DataRowSelection.ByGlobalKeys(
                List.of(
                    rows.get(3).globalKey().orElseThrow(), rows.get(1).globalKey().orElseThrow())),
            Set.of(AssetType.IMAGE));

    assertThat(taskRows(byIds.id())).containsExactly(rows.get(2).id(), rows.get(0).id());
    assertThat(taskRows(byKeys.id())).containsExactly(rows.get(3).id(), rows.get(1).id());
    assertThat(byIds.counts().queued()).isEqualTo(2);
  }

  @Test
  void refuses_a_run_over_rows_that_do_not_exist_and_queues_nothing() {
    Model model = model();
    Dataset dataset = dataset(1, AssetType.IMAGE);
    String known =
        store
            .datasets()
            .rows(dataset.id(), PageRequest.first(1))
            .items()
            .getFirst()
            .globalKey()
            .orElseThrow();

    assertThatThrownBy(
            () ->
                createRun(
                    model,
                    new DataRowSelection.ByGlobalKeys(List.of(known, "missing-1", "missing-2")),
                    Set.of(AssetType.IMAGE)))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
              assertThat(e.getMessage()).startsWith("2 of the selected data rows do not exist");
              assertThat(e.describe()).contains("\"missing-1\"").contains("\"missing-2\"");
            });
    assertThat(runsOf(model.id())).isZero();
  }

  @Test
  void refuses_a_run_over_rows_of_a_media_type_the_model_does_not_allow() {
    Model model = model();
    Dataset dataset = store.datasets().create(unique("mixed"), "");
    List<NewDataRow> rows = new ArrayList<>();
    for (int i = 1; i <= 15; i++) {
      rows.add(textRow(i, "text " + i));
    }
    rows.add(imageRow(16, Optional.empty()));
    store.datasets().importRows(dataset.id(), rows.iterator());

    assertThatThrownBy(
            () ->
                createRun(
                    model,
                    new DataRowSelection.WholeDataset(dataset.id()),
                    Set.of(AssetType.IMAGE)))
        .isInstanceOfSatisfying(
            FoundryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "15 of the selected data rows have a media type the model does not accept;"
                          + " the first 10 are listed");
              assertThat(e.problems()).hasSize(10);
              assertThat(e.problems().getFirst().message())
                  .contains("media type TEXT")
                  .contains("expected one of IMAGE");
            });
    assertThat(runsOf(model.id())).isZero();
  }

  @Test
  void a_run_over_an_empty_dataset_succeeds_at_once() {
    Run run =
        createRun(
            model(),
            new DataRowSelection.WholeDataset(store.datasets().create(unique("empty"), "").id()),
            Set.of(AssetType.IMAGE));
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.times().finishedAt()).isPresent();
  }

  // ---- claiming -----------------------------------------------------------------------------

  @Test
  void claims_oldest_tasks_first_and_starts_the_run() {
    Model model = model();
    Run run = run(model, 5);

    List<LeasedTask> leased = claim(model, 3, 10, "worker-a");

    assertThat(leased).hasSize(3);
    assertThat(leased).extracting(LeasedTask::attempt).containsOnly(1);
    assertThat(leased)
        .extracting(task -> task.row().rowData())
        .containsExactly(
            "https://example.com/1.jpg", "https://example.com/2.jpg", "https://example.com/3.jpg");
    assertThat(leased.getFirst().lease().expiresAt()).isEqualTo(clock.instant().plus(LEASE));
    assertThat(leased.getFirst().runId()).isEqualTo(run.id());
    Run started = store.runs().get(run.id()).orElseThrow();
    assertThat(started.state()).isEqualTo(RunState.RUNNING);
    assertThat(started.times().startedAt()).contains(clock.instant());
    assertThat(started.counts()).isEqualTo(new TaskCounts(2, 3, 0, 0, 0));
    assertCountersMatchTasks(run.id());
  }

  @Test
  void claims_from_the_oldest_run_of_the_model_first() {
    Model model = model();
    Run older = run(model, 2);
    Run newer = run(model, 2);

    List<LeasedTask> leased = claim(model, 3, 10, "worker");

    assertThat(leased)
        .extracting(LeasedTask::runId)
        .containsExactly(older.id(), older.id(), newer.id());
    assertThat(store.runs().get(newer.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void reports_demand_per_model_with_its_runs_oldest_first() {
    Model model = model();
    Run older = run(model, 3);
    Run newer = run(model, 2);
    claim(model, 1, 10, "worker");
    Run paused = run(model, 4);
    store.runs().pause(paused.id());

    ModelDemand demand = demandOf(model.id()).orElseThrow();

    assertThat(demand.runnable()).isEqualTo(4);
    assertThat(demand.leased()).isEqualTo(1);
    assertThat(demand.runs()).containsExactly(older.id(), newer.id());
  }

  @Test
  void cancels_instead_of_requeueing_an_expired_lease_of_a_cancelled_run() {
    Model model = model();
    Run run = run(model, 2);
    claim(model, 1, 5, "vanished-worker");
    store.runs().cancel(run.id());

    clock.advance(LEASE.plusSeconds(1));
    store.tasks().requeueExpired(clock.instant());

    assertThat(store.runs().get(run.id()).orElseThrow().counts())
        .isEqualTo(new TaskCounts(0, 0, 0, 0, 2));
    assertCountersMatchTasks(run.id());
  }

  @Test
  void keeps_counters_equal_to_the_tasks_through_a_seeded_mix_of_operations() {
    Random random = new Random(20260301L);
    Model model = model();
    Run run = run(model, 40);
    List<LeasedTask> held = new ArrayList<>();
    for (int step = 0; step < 300; step++) {
      int action = random.nextInt(100);
      if (action < 35) {
        held.addAll(claim(model, 1 + random.nextInt(6), 12, "worker-" + random.nextInt(3)));
      } else if (action < 70 && !held.isEmpty()) {
        LeasedTask task = held.remove(random.nextInt(held.size()));
        AttemptOutcome outcome =
            switch (random.nextInt(3)) {
              case 0 -> success("s" + step);
              case 1 -> failed();
              default -> retryLater(Duration.ofSeconds(random.nextInt(3)));
            };
        store.tasks().complete(List.of(completion(task, outcome)));
      } else if (action < 80) {
        clock.advance(Duration.ofSeconds(random.nextInt(40)));
        store.tasks().requeueExpired(clock.instant());
      } else {
        steer(run.id(), random.nextInt(30));
      }
      assertCountersMatchTasks(run.id());
    }
    Run end = store.runs().get(run.id()).orElseThrow();
    assertThat(resultCount(run.id())).isEqualTo(end.counts().succeeded()).isPositive();
    assertThat(end.counts().total()).isEqualTo(40);
    long attempts =
        store
            .database()
            .read(
                handle ->
                    handle
                        .createQuery(
                            """
                            SELECT COUNT(*) FROM task_attempts a JOIN tasks t ON t.id = a.task_id
                            WHERE t.run_id = :run
                            """)
                        .bind("run", run.id().value())
                        .mapTo(Long.class)
                        .one());
    assertThat(attempts).as("the mix retried tasks").isGreaterThan(40);
  }

  /** Pause, resume or retry failed, where the run's state allows it. */
  private void steer(RunId run, int choice) {
    try {
      if (choice < 10) {
        store.runs().pause(run);
      } else if (choice < 20) {
        store.runs().resume(run);
      } else {
        store.runs().retryFailed(run);
      }
    } catch (IllegalTransitionException e) {
      assertThat(e.from()).isNotEmpty();
    } catch (FoundryException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    }
  }

  @Test
  void never_leases_more_than_the_concurrency_cap_across_claims() {
    Model model = model();
    run(model, 10);

    assertThat(claim(model, 3, 4, "node-1")).hasSize(3);
    assertThat(claim(model, 3, 4, "node-2")).hasSize(1);
    assertThat(claim(model, 3, 4, "node-3")).isEmpty();
    ModelDemand demand = demandOf(model.id()).orElseThrow();
    assertThat(demand.leased()).isEqualTo(4);
    assertThat(demand.runnable()).isEqualTo(6);
  }

  @Test
  void reports_demand_only_for_tasks_that_are_due() {
    Model model = model();
    run(model, 2);
    List<LeasedTask> leased = claim(model, 2, 10, "worker");
    store
        .tasks()
        .complete(
            List.of(
                completion(leased.get(0), retryLater(Duration.ofSeconds(30))),
                completion(leased.get(1), retryLater(Duration.ofSeconds(30)))));

    assertThat(demandOf(model.id())).isEmpty();
    assertThat(claim(model, 5, 10, "worker")).isEmpty();

    clock.advance(Duration.ofSeconds(31));
    assertThat(demandOf(model.id()).orElseThrow().runnable()).isEqualTo(2);
    List<LeasedTask> again = claim(model, 5, 10, "worker");
    assertThat(again).extracting(LeasedTask::attempt).containsOnly(2);
  }

  @Test
  void several_workers_claiming_at_once_never_get_the_same_task() throws Exception {
    Model model = model();
    Run run = run(model, 200);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<TaskId>>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        String owner = "worker-" + w;
        workers.add(
            () -> {
              List<TaskId> mine = new ArrayList<>();
              for (int round = 0; round < 100; round++) {
                List<LeasedTask> leased = claim(model, 7, 1000, owner);
                if (leased.isEmpty()) {
                  break;
                }
                leased.forEach(task -> mine.add(task.id()));
              }
              return mine;
            });
      }
      List<TaskId> all = new ArrayList<>();
      for (Future<List<TaskId>> future : pool.invokeAll(workers)) {
        all.addAll(future.get());
      }
      assertThat(all).hasSize(200).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.runs().get(run.id()).orElseThrow().counts().leased()).isEqualTo(200);
    assertCountersMatchTasks(run.id());
  }

  // ---- completing and fencing ---------------------------------------------------------------

  @Test
  void stores_a_success_with_predictions_report_and_raw_response() {
    Model model = model();
    Run run = run(model, 1);
    LeasedTask task = claim(model, 1, 1, "worker").getFirst();

    Set<TaskId> applied = store.tasks().complete(List.of(completion(task, success("one"))));

    assertThat(applied).containsExactly(task.id());
    try (Stream<RunResult> results = store.runs().results(run.id())) {
      RunResult result = results.toList().getFirst();
      assertThat(result.taskId()).isEqualTo(task.id());
      assertThat(result.row().id()).isEqualTo(task.row().id());
      assertThat(result.predictions().get("cat").get("scores").get(0).asDouble()).isEqualTo(0.9);
      assertThat(result.report().get("answer").asString()).isEqualTo("one");
      assertThat(result.rawResponse()).isEqualTo("{\"raw\":\"one\"}");
      assertThat(result.attempt()).isEqualTo(1);
    }
    Run finished = store.runs().get(run.id()).orElseThrow();
    assertThat(finished.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(finished.times().finishedAt()).isPresent();
  }

  @Test
  void ignores_a_late_answer_from_an_expired_lease_and_keeps_the_retried_attempt() {
    Model model = model();
    Run run = run(model, 1);
    LeasedTask first = claim(model, 1, 5, "slow-worker").getFirst();

    clock.advance(LEASE.plusSeconds(1));
    // Other tests' forgotten leases expire too: the queue is shared.
    assertThat(store.tasks().requeueExpired(clock.instant())).isGreaterThanOrEqualTo(1);
    assertThat(store.runs().get(run.id()).orElseThrow().counts())
        .isEqualTo(new TaskCounts(1, 0, 0, 0, 0));
    LeasedTask second = claim(model, 1, 5, "fast-worker").getFirst();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.lease().token()).isNotEqualTo(first.lease().token());

    assertThat(store.tasks().complete(List.of(completion(first, success("late"))))).isEmpty();
    assertThat(store.tasks().complete(List.of(completion(second, success("kept")))))
        .containsExactly(second.id());
    assertThat(store.tasks().complete(List.of(completion(first, success("later still")))))
        .isEmpty();
    assertThat(store.tasks().complete(List.of(completion(second, success("twice"))))).isEmpty();

    try (Stream<RunResult> results = store.runs().results(run.id())) {
      assertThat(results.toList())
          .singleElement()
          .satisfies(
              result -> {
                assertThat(result.report().get("answer").asString()).isEqualTo("kept");
                assertThat(result.attempt()).isEqualTo(2);
              });
    }
    assertThat(resultCount(run.id())).isEqualTo(1);
    List<TaskAttempt> history = store.runs().attempts(first.id());
    assertThat(history).extracting(TaskAttempt::attempt).containsExactly(1, 2);
    assertThat(history)
        .extracting(TaskAttempt::result)
        .containsExactly(AttemptResult.LEASE_EXPIRED, AttemptResult.SUCCEEDED);
    assertThat(history)
        .extracting(TaskAttempt::leaseOwner)
        .containsExactly("slow-worker", "fast-worker");
    assertCountersMatchTasks(run.id());
  }

  @Test
  void records_when_an_attempt_really_started_not_when_its_task_was_leased() {
    Model model = model();
    run(model, 1);
    LeasedTask task = claim(model, 1, 5, "worker").getFirst();
    // A rate-limited call waits for its slot after the lease: 1.5 s here.
    Instant started = clock.instant().plusMillis(1500);
    Instant finished = started.plusMillis(40);

    store.tasks().complete(List.of(new Completion(task, success("on time"), started, finished)));

    assertThat(store.runs().attempts(task.id()))
        .singleElement()
        .satisfies(
            attempt -> {
              assertThat(attempt.startedAt()).isEqualTo(started);
              assertThat(attempt.finishedAt()).isEqualTo(finished);
            });
  }

  @Test
  void applies_a_task_named_twice_in_one_batch_once() {
    Model model = model();
    Run run = run(model, 1);
    LeasedTask task = claim(model, 1, 5, "worker").getFirst();

    Set<TaskId> applied =
        store
            .tasks()
            .complete(
                List.of(completion(task, success("first")), completion(task, success("second"))));

    assertThat(applied).containsExactly(task.id());
    assertThat(resultCount(run.id())).isEqualTo(1);
    assertThat(store.runs().attempts(task.id())).hasSize(1);
    assertCountersMatchTasks(run.id());
  }

  @Test
  void renews_only_leases_still_held_under_their_token() {
    Model model = model();
    Run run = run(model, 2);
    List<LeasedTask> leased = claim(model, 2, 5, "worker");
    clock.advance(LEASE.plusSeconds(1));
    store.tasks().requeueExpired(clock.instant());
    LeasedTask retaken = claim(model, 1, 5, "other").getFirst();

    Instant later = clock.instant().plus(LEASE);
    assertThat(store.tasks().renew(leased, later)).isEmpty();
    assertThat(store.tasks().renew(List.of(retaken), later)).containsExactly(retaken.id());

    clock.advance(LEASE.minusSeconds(1));
    store.tasks().requeueExpired(clock.instant());
    assertThat(allTasks(run.id(), Optional.of(TaskState.LEASED), 10))
        .extracting(TaskView::id)
        .containsExactly(retaken.id());
  }

  @Test
  void a_retry_goes_back_to_the_queue_and_keeps_its_history() {
    Model model = model();
    Run run = run(model, 1);
    LeasedTask task = claim(model, 1, 5, "worker").getFirst();
    store.tasks().complete(List.of(completion(task, retryLater(Duration.ofSeconds(5)))));

    TaskView view = onlyTask(run.id());
    assertThat(view.state()).isEqualTo(TaskState.QUEUED);
    assertThat(view.attempts()).isEqualTo(1);
    assertThat(view.lastStatus()).hasValue(503);
    assertThat(view.error().orElseThrow().code()).isEqualTo("HTTP_503");
    assertThat(store.runs().attempts(task.id()).getFirst().detail().responsePrefix())
        .isEqualTo("busy");
    assertCountersMatchTasks(run.id());
  }

  @Test
  void finishes_a_run_partially_succeeded_when_some_tasks_fail() {
    Model model = model();
    Run run = run(model, 3);
    List<LeasedTask> leased = claim(model, 3, 5, "worker");
    store
        .tasks()
        .complete(
            List.of(
                completion(leased.get(0), success("a")),
                completion(leased.get(1), failed()),
                completion(leased.get(2), success("c"))));

    Run finished = store.runs().get(run.id()).orElseThrow();
    assertThat(finished.state()).isEqualTo(RunState.PARTIALLY_SUCCEEDED);
    assertThat(finished.counts()).isEqualTo(new TaskCounts(0, 0, 2, 1, 0));
    Page<TaskView> failedTasks =
        store.runs().tasks(run.id(), Optional.of(TaskState.FAILED), PageRequest.first(10));
    assertThat(failedTasks.items())
        .singleElement()
        .satisfies(
            task -> {
              assertThat(task.id()).isEqualTo(leased.get(1).id());
              assertThat(task.error().orElseThrow().message()).isEqualTo("bad request");
              assertThat(task.latency()).contains(Duration.ofMillis(12));
            });
    assertCountersMatchTasks(run.id());
  }

  @Test
  void finishes_a_run_failed_when_every_task_fails() {
    Model model = model();
    Run run = run(model, 2);
    List<LeasedTask> leased = claim(model, 2, 5, "worker");
    store.tasks().complete(leased.stream().map(task -> completion(task, failed())).toList());
    assertThat(store.runs().get(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
  }

  // ---- steering -----------------------------------------------------------------------------

  @Test
  void a_paused_run_gives_out_no_tasks_until_resumed() {
    Model model = model();
    Run run = run(model, 3);
    claim(model, 1, 5, "worker");

    assertThat(store.runs().pause(run.id()).state()).isEqualTo(RunState.PAUSED);
    assertThat(claim(model, 5, 5, "worker")).isEmpty();
    assertThat(demandOf(model.id())).isEmpty();

    assertThat(store.runs().resume(run.id()).state()).isEqualTo(RunState.RUNNING);
    assertThat(claim(model, 5, 5, "worker")).hasSize(2);
  }

  @Test
  void cancelling_cancels_queued_tasks_and_keeps_the_answers_of_leased_ones() {
    Model model = model();
    Run run = run(model, 4);
    List<LeasedTask> leased = claim(model, 2, 5, "worker");

    Run cancelled = store.runs().cancel(run.id());
    assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
    assertThat(cancelled.counts()).isEqualTo(new TaskCounts(0, 2, 0, 0, 2));
    assertThat(claim(model, 5, 5, "worker")).isEmpty();

    store
        .tasks()
        .complete(
            List.of(
                completion(leased.get(0), success("kept")),
                completion(leased.get(1), retryLater(Duration.ofSeconds(1)))));
    Run after = store.runs().get(run.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(RunState.CANCELLED);
    assertThat(after.counts()).isEqualTo(new TaskCounts(0, 0, 1, 0, 3));
    assertCountersMatchTasks(run.id());

    assertThatThrownBy(() -> store.runs().resume(run.id()))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> store.runs().cancel(run.id()))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void applies_the_answer_of_the_lease_still_held_when_a_lapsed_one_answered_in_the_same_batch() {
    Model model = model();
    Run run = run(model, 1);
    LeasedTask lapsed = claim(model, 1, 5, "node-a").getFirst();
    clock.advance(LEASE.plusSeconds(1));
    store.tasks().requeueExpired(clock.instant());
    LeasedTask held = claim(model, 1, 5, "node-a").getFirst();
    assertThat(held.id()).isEqualTo(lapsed.id());

    // The lapsed lease's answer comes first in the batch; it must not crowd out the held one's.
    assertThat(
            store
                .tasks()
                .complete(
                    List.of(
                        completion(lapsed, success("late")), completion(held, success("kept")))))
        .containsExactly(held.id());

    try (Stream<RunResult> results = store.runs().results(run.id())) {
      assertThat(results.toList())
          .singleElement()
          .satisfies(
              result -> assertThat(result.report().get("answer").asString()).isEqualTo("kept"));
    }
    assertCountersMatchTasks(run.id());
  }

  @Test
  void stores_answers_holding_nul_characters_with_each_one_replaced() {
    Model model = model();
    Run run = run(model, 2);
    List<LeasedTask> leased = claim(model, 2, 5, "worker");
    String nul = String.valueOf((char) 0);
    AttemptOutcome refused =
        new AttemptOutcome.Failed(
            "ENDPOINT_HTTP_400",
            OptionalInt.of(400),
            "refused" + nul,
            "body" + nul + "prefix",
            Duration.ofMillis(2));
    ObjectNode predictions = JSON.createObjectNode();
    predictions.putObject("cat").put("label", "a" + nul + "b");
    AttemptOutcome answered =
        new AttemptOutcome.Succeeded(
            200,
            Duration.ofMillis(3),
            "{\"raw\": \"" + nul + "\"}",
            predictions,
            JSON.createObjectNode().put("answer", nul));

    assertThat(
            store
                .tasks()
                .complete(
                    List.of(
                        completion(leased.get(0), refused), completion(leased.get(1), answered))))
        .containsExactlyInAnyOrder(leased.get(0).id(), leased.get(1).id());

    TaskAttempt attempt = store.runs().attempts(leased.get(0).id()).getFirst();
    assertThat(attempt.detail().responsePrefix()).isEqualTo("body\uFFFDprefix");
    assertThat(attempt.detail().error().orElseThrow().message()).isEqualTo("refused\uFFFD");
    try (Stream<RunResult> results = store.runs().results(run.id())) {
      assertThat(results.toList())
          .singleElement()
          .satisfies(
              result -> {
                assertThat(result.rawResponse()).isEqualTo("{\"raw\": \"\uFFFD\"}");
                // JSON keeps the character itself, escaped.
                assertThat(result.predictions().get("cat").get("label").asString())
                    .isEqualTo("a" + nul + "b");
              });
    }
    assertCountersMatchTasks(run.id());
  }

  @Test
  void retrying_failed_rows_requeues_only_them_and_numbers_attempts_on() {
    Model model = model();
    Run run = run(model, 2);
    List<LeasedTask> leased = claim(model, 2, 5, "worker");
    store
        .tasks()
        .complete(
            List.of(completion(leased.get(0), success("a")), completion(leased.get(1), failed())));
    assertThat(store.runs().get(run.id()).orElseThrow().state())
        .isEqualTo(RunState.PARTIALLY_SUCCEEDED);

    Run retried = store.runs().retryFailed(run.id());

    assertThat(retried.state()).isEqualTo(RunState.RUNNING);
    assertThat(retried.counts()).isEqualTo(new TaskCounts(1, 0, 1, 0, 0));
    assertThat(retried.times().finishedAt()).isEmpty();
    LeasedTask again = claim(model, 5, 5, "worker").getFirst();
    assertThat(again.id()).isEqualTo(leased.get(1).id());
    assertThat(leased.get(1).attemptsBeforeRetry()).isZero();
    assertThat(again.attempt()).isEqualTo(2);
    // The retried task's max attempts count from here: one attempt was made before the retry.
    assertThat(again.attemptsBeforeRetry()).isEqualTo(1);
    store.tasks().complete(List.of(completion(again, success("b"))));
    assertThat(store.runs().get(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(store.runs().attempts(again.id()))
        .extracting(TaskAttempt::result)
        .containsExactly(AttemptResult.FAILED, AttemptResult.SUCCEEDED);
    assertThat(resultCount(run.id())).isEqualTo(2);
    assertThatThrownBy(() -> store.runs().retryFailed(run.id()))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void stops_a_run_as_failed_once_its_failure_budget_is_spent() {
    Model model = model();
    Dataset dataset = dataset(10, AssetType.IMAGE);
    Run run =
        store
            .runs()
            .create(
                new RunSpec(
                    model.latestVersionId(),
                    new DataRowSelection.WholeDataset(dataset.id()),
                    new RunSettings(
                        List.of(),
                        Map.of(),
                        JSON.createObjectNode(),
                        Set.of(AssetType.IMAGE),
                        OptionalDouble.of(0.2))));
    List<LeasedTask> leased = claim(model, 4, 10, "worker");
    store
        .tasks()
        .complete(
            List.of(
                completion(leased.get(0), failed()),
                completion(leased.get(1), failed()),
                completion(leased.get(2), success("ok"))));
    assertThat(store.runs().get(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);

    store.tasks().complete(List.of(completion(leased.get(3), failed())));

    Run stopped = store.runs().get(run.id()).orElseThrow();
    assertThat(stopped.state()).isEqualTo(RunState.FAILED);
    assertThat(stopped.counts()).isEqualTo(new TaskCounts(0, 0, 1, 3, 6));
    assertCountersMatchTasks(run.id());
  }

  // ---- progress and export ------------------------------------------------------------------

  @Test
  void measures_throughput_over_the_last_minute_and_the_time_left() {
    Model model = model();
    Run run = run(model, 30);
    for (int second = 0; second < 10; second++) {
      List<LeasedTask> leased = claim(model, 2, 30, "worker");
      clock.advance(Duration.ofSeconds(1));
      store.tasks().complete(leased.stream().map(task -> completion(task, success("x"))).toList());
    }

    RunProgress progress = store.runs().progress(run.id());

    assertThat(progress.counts()).isEqualTo(new TaskCounts(10, 0, 20, 0, 0));
    assertThat(progress.throughputPerSecond()).isEqualTo(2.0);
    assertThat(progress.eta()).contains(Duration.ofSeconds(5));
    store.runs().pause(run.id());
    assertThat(store.runs().progress(run.id()).eta()).isEmpty();
    store.runs().resume(run.id());

    clock.advance(Duration.ofMinutes(2));
    RunProgress idle = store.runs().progress(run.id());
    assertThat(idle.throughputPerSecond()).isZero();
    assertThat(idle.eta()).isEmpty();
  }

  @Test
  void lists_a_runs_tasks_by_state_page_by_page() {
    Model model = model();
    Run run = run(model, 7);
    List<LeasedTask> leased = claim(model, 3, 10, "worker");
    store.tasks().complete(List.of(completion(leased.get(1), failed())));

    List<TaskView> all = allTasks(run.id(), Optional.empty(), 2);
    assertThat(all).hasSize(7);
    assertThat(all).extracting(TaskView::dataRowId).doesNotHaveDuplicates();
    assertThat(all.stream().map(TaskView::id).map(TaskId::value).toList()).isSorted();
    assertThat(allTasks(run.id(), Optional.of(TaskState.QUEUED), 2)).hasSize(4);
    assertThat(allTasks(run.id(), Optional.of(TaskState.LEASED), 1)).hasSize(2);
    assertThat(allTasks(run.id(), Optional.of(TaskState.FAILED), 5))
        .extracting(TaskView::id)
        .containsExactly(leased.get(1).id());
  }

  @Test
  void streams_results_in_task_order() {
    Model model = model();
    Run run = run(model, 25);
    for (int round = 0; round < 5; round++) {
      List<LeasedTask> leased = claim(model, 5, 25, "worker");
      store.tasks().complete(leased.stream().map(task -> completion(task, success("r"))).toList());
    }
    try (Stream<RunResult> results = store.runs().results(run.id())) {
      assertThat(results.map(result -> result.row().rowData()).toList())
          .containsExactlyElementsOf(
              IntStream.rangeClosed(1, 25)
                  .mapToObj(i -> "https://example.com/" + i + ".jpg")
                  .toList());
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  static String unique(String prefix) {
    return prefix + "-" + Ids.leaseToken().substring(0, 12);
  }

  // ---- comparisons --------------------------------------------------------------------------

  @Test
  void keeps_a_comparison_its_raw_answers_its_failures_and_its_judgments() {
    Model first = model();
    Model second = model();
    ComparisonRepository comparisons =
        new JdbiComparisonRepository(store.database(), ConversationLimits.defaults());
    String raw = "{\"text\" :\t\"Red.\",  \"n\": 1.50}";
    ChatModel answering = chatModel(first);
    ChatModel failing = chatModel(second);
    Comparison comparison =
        new Comparison(
            new ComparisonId("cmp_" + unique("C")),
            Optional.of(unique("key")),
            new MessageId("msg_" + unique("P")),
            Conversation.of(
                Message.text(Role.SYSTEM, "Be brief."), Message.text(Role.USER, "A colour?")),
            JSON.createObjectNode().put("temperature", 0.5),
            List.of(
                new Answer(
                    new MessageId("msg_" + unique("A")),
                    new ChatAnswer(
                        answering,
                        200,
                        raw,
                        Optional.of("Red."),
                        Optional.of(new TokenUsage(3, 1, 4)),
                        Duration.ofMillis(120),
                        2,
                        Duration.ofMillis(1500))),
                new Answer(
                    new MessageId("msg_" + unique("B")),
                    new ChatFailure(
                        failing,
                        ErrorCode.ADAPTER_ENDPOINT_FAILED,
                        "the endpoint answered HTTP 500",
                        OptionalInt.of(500),
                        1,
                        Duration.ofMillis(40)))),
            List.of(),
            START);
    comparisons.insert(comparison);
    Judgment judgment =
        new Judgment(
            new JudgmentId("jdg_" + unique("J")),
            comparison.id(),
            "best",
            new Verdict.SingleSelection(comparison.answers().getFirst().id()),
            Optional.of("key_1"),
            START.plusSeconds(5));
    comparisons.addJudgment(judgment);

    Comparison stored = comparisons.get(comparison.id()).orElseThrow();

    assertThat(stored).isEqualTo(comparison.withJudgment(judgment));
    assertThat(((ChatAnswer) stored.answers().getFirst().outcome()).rawResponse()).isEqualTo(raw);
    assertThat(comparisons.get(new ComparisonId("cmp_" + unique("none")))).isEmpty();
  }

  private ChatModel chatModel(Model model) {
    return new ChatModel(model.id(), model.latestVersionId(), 1, model.name());
  }

  static ObjectNode manifest(String name) {
    return JSON.createObjectNode()
        .put("name", name)
        .put("inference_endpoint", "https://models.example.com/predict");
  }

  Model model() {
    String name = unique("model");
    return store.models().create(name, manifest(name), Optional.of(new SecretValue("token")));
  }

  static NewDataRow imageRow(long line, Optional<String> globalKey) {
    return new NewDataRow(
        line,
        globalKey,
        "https://example.com/" + line + ".jpg",
        AssetType.IMAGE,
        JSON.createArrayNode(),
        JSON.createObjectNode().put("line", line));
  }

  static NewDataRow textRow(long line, String text) {
    return new NewDataRow(
        line,
        Optional.empty(),
        text,
        AssetType.TEXT,
        JSON.createArrayNode(),
        JSON.createObjectNode());
  }

  Dataset dataset(int rows, AssetType type) {
    Dataset dataset = store.datasets().create(unique("dataset"), "rows for a test");
    String keys = unique("key");
    List<NewDataRow> list =
        IntStream.rangeClosed(1, rows)
            .mapToObj(line -> imageRow(line, Optional.of(keys + "-" + line)))
            .toList();
    ImportReport report = store.datasets().importRows(dataset.id(), list.iterator());
    assertThat(report.isClean()).isTrue();
    return dataset;
  }

  Run run(Model model, int rows) {
    return createRun(
        model,
        new DataRowSelection.WholeDataset(dataset(rows, AssetType.IMAGE).id()),
        Set.of(AssetType.IMAGE));
  }

  Run createRun(Model model, DataRowSelection selection, Set<AssetType> allowed) {
    return store
        .runs()
        .create(
            new RunSpec(
                model.latestVersionId(),
                selection,
                new RunSettings(
                    List.of("cat"),
                    Map.of(),
                    JSON.createObjectNode(),
                    allowed,
                    OptionalDouble.empty())));
  }

  List<LeasedTask> claim(Model model, int max, int cap, String owner) {
    return store.tasks().claim(model.id(), max, cap, owner, LEASE, clock.instant());
  }

  Optional<ModelDemand> demandOf(ModelId model) {
    return store.tasks().demand(clock.instant()).stream()
        .filter(demand -> demand.modelId().equals(model))
        .findFirst();
  }

  Completion completion(LeasedTask task, AttemptOutcome outcome) {
    return new Completion(task, outcome, clock.instant(), clock.instant());
  }

  static AttemptOutcome success(String answer) {
    ObjectNode predictions = JSON.createObjectNode();
    predictions.putObject("cat").putArray("scores").add(0.9);
    return new AttemptOutcome.Succeeded(
        200,
        Duration.ofMillis(7),
        "{\"raw\":\"" + answer + "\"}",
        predictions,
        JSON.createObjectNode().put("answer", answer));
  }

  AttemptOutcome retryLater(Duration backoff) {
    return new AttemptOutcome.RetryLater(
        "HTTP_503",
        OptionalInt.of(503),
        "service unavailable",
        "busy",
        Duration.ofMillis(3),
        clock.instant().plus(backoff));
  }

  static AttemptOutcome failed() {
    return new AttemptOutcome.Failed(
        "HTTP_400",
        OptionalInt.of(400),
        "bad request",
        "{\"error\":\"no\"}",
        Duration.ofMillis(12));
  }

  TaskView onlyTask(RunId run) {
    return store.runs().tasks(run, Optional.empty(), PageRequest.first(10)).items().getFirst();
  }

  List<TaskView> allTasks(RunId run, Optional<TaskState> state, int pageSize) {
    List<TaskView> all = new ArrayList<>();
    Optional<PageRequest> request = Optional.of(PageRequest.first(pageSize));
    while (request.isPresent()) {
      Page<TaskView> page = store.runs().tasks(run, state, request.get());
      all.addAll(page.items());
      request = page.nextRequest(pageSize);
    }
    return all;
  }

  List<DataRowId> taskRows(RunId run) {
    return allTasks(run, Optional.empty(), 100).stream().map(TaskView::dataRowId).toList();
  }

  long runsOf(ModelId model) {
    return store
        .database()
        .read(
            handle ->
                handle
                    .createQuery("SELECT COUNT(*) FROM runs WHERE model_id = :model")
                    .bind("model", model.value())
                    .mapTo(Long.class)
                    .one());
  }

  long resultCount(RunId run) {
    return store
        .database()
        .read(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT COUNT(*) FROM task_results r JOIN tasks t ON t.id = r.task_id
                        WHERE t.run_id = :run
                        """)
                    .bind("run", run.value())
                    .mapTo(Long.class)
                    .one());
  }

  /** The kept counters must always equal what counting the tasks says. */
  void assertCountersMatchTasks(RunId run) {
    Map<String, Long> counted = new HashMap<>();
    store
        .database()
        .read(
            handle ->
                handle
                    .createQuery(
                        "SELECT state, COUNT(*) FROM tasks WHERE run_id = :run GROUP BY state")
                    .bind("run", run.value())
                    .map(
                        (resultSet, context) ->
                            Map.entry(resultSet.getString(1), resultSet.getLong(2)))
                    .list())
        .forEach(entry -> counted.put(entry.getKey(), entry.getValue()));
    TaskCounts real =
        new TaskCounts(
            counted.getOrDefault("QUEUED", 0L),
            counted.getOrDefault("LEASED", 0L),
            counted.getOrDefault("SUCCEEDED", 0L),
            counted.getOrDefault("FAILED", 0L),
            counted.getOrDefault("CANCELLED", 0L));
    assertThat(store.runs().get(run).orElseThrow().counts()).isEqualTo(real);
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    return Collections.indexOfSubList(toList(haystack), toList(needle)) >= 0;
  }

  private static List<Byte> toList(byte[] bytes) {
    List<Byte> list = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      list.add(b);
    }
    return list;
  }

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }
}
