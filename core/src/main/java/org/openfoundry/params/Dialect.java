package org.openfoundry.params;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Optional;

/**
 * The JSON Schema dialects a parameter schema may be written in: 2020-12 by default, draft-07 when
 * its {@code $schema} says so. Each holds one registry, built on first use, that loads nothing but
 * the meta-schemas bundled with the validator: a schema never reaches the network or the class path
 * through {@code $ref}. Patterns are matched with a bounded amount of work ({@link
 * BoundedPatterns}).
 */
enum Dialect {
  DRAFT_2020_12(
      SpecificationVersion.DRAFT_2020_12,
      List.of(
          "https://json-schema.org/draft/2020-12/schema",
          "https://json-schema.org/draft/2020-12/schema#")),
  DRAFT_07(
      SpecificationVersion.DRAFT_7,
      List.of(
          "http://json-schema.org/draft-07/schema#",
          "http://json-schema.org/draft-07/schema",
          "https://json-schema.org/draft-07/schema#",
          "https://json-schema.org/draft-07/schema"));

  private final SpecificationVersion version;
  private final List<String> identifiers;
  private SchemaRegistry registry;
  private Schema metaSchema;

  Dialect(SpecificationVersion version, List<String> identifiers) {
    this.version = version;
    this.identifiers = identifiers;
  }

  /** The dialect a {@code $schema} value names, if it is one we accept. */
  static Optional<Dialect> named(String identifier) {
    for (Dialect dialect : values()) {
      if (dialect.identifiers.contains(identifier)) {
        return Optional.of(dialect);
      }
    }
    return Optional.empty();
  }

  /** The canonical {@code $schema} value. */
  String identifier() {
    return identifiers.getFirst();
  }

  synchronized SchemaRegistry registry() {
    if (registry == null) {
      registry =
          SchemaRegistry.withDefaultDialect(
              version,
              builder ->
                  builder
                      .schemaLoader(
                          loader -> loader.block(iri -> !isBundledMetaSchema(iri.toString())))
                      .schemaRegistryConfig(
                          SchemaRegistryConfig.builder()
                              .regularExpressionFactory(BoundedPatterns.INSTANCE)
                              .build()));
    }
    return registry;
  }

  synchronized Schema metaSchema() {
    if (metaSchema == null) {
      metaSchema = registry().getSchema(SchemaLocation.of(version.getDialectId()));
    }
    return metaSchema;
  }

  private static boolean isBundledMetaSchema(String iri) {
    return iri.startsWith("https://json-schema.org/") || iri.startsWith("http://json-schema.org/");
  }
}
