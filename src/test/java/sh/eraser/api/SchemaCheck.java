package sh.eraser.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of the API server's schema validation that our types can get wrong: unknown fields,
 * missing required fields, wrong JSON types, values outside an enum, malformed date-times.
 */
final class SchemaCheck {

  private final List<String> violations = new ArrayList<>();

  private SchemaCheck() {}

  /** Every way {@code value} breaks {@code schema}, one line each, with its path. */
  static List<String> violations(String path, JsonNode value, JSONSchemaProps schema) {
    SchemaCheck check = new SchemaCheck();
    check.check(path, value, schema);
    return check.violations;
  }

  private void check(String path, JsonNode value, JSONSchemaProps schema) {
    switch (schema.getType()) {
      case "object" -> checkObject(path, value, schema);
      case "array" -> checkArray(path, value, schema);
      case "string" -> checkString(path, value, schema);
      case "integer" -> expect(path, value.isIntegralNumber(), "an integer", value);
      case "boolean" -> expect(path, value.isBoolean(), "a boolean", value);
      default -> violations.add(path + ": schema type " + schema.getType() + " not checked");
    }
  }

  private void checkObject(String path, JsonNode value, JSONSchemaProps schema) {
    if (!expect(path, value.isObject(), "an object", value)) {
      return;
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      JSONSchemaProps property = properties.get(field.getKey());
      if (property == null) {
        violations.add(path + "." + field.getKey() + ": not in the schema");
      } else {
        check(path + "." + field.getKey(), field.getValue(), property);
      }
    }
    for (String required : schema.getRequired()) {
      if (!value.has(required)) {
        violations.add(path + "." + required + ": required but missing");
      }
    }
  }

  private void checkArray(String path, JsonNode value, JSONSchemaProps schema) {
    if (expect(path, value.isArray(), "an array", value)) {
      for (int i = 0; i < value.size(); i++) {
        check(path + "[" + i + "]", value.get(i), schema.getItems().getSchema());
      }
    }
  }

  private void checkString(String path, JsonNode value, JSONSchemaProps schema) {
    if (!expect(path, value.isTextual(), "a string", value)) {
      return;
    }
    boolean inEnum =
        schema.getEnum().isEmpty()
            || schema.getEnum().stream().anyMatch(e -> e.asText().equals(value.asText()));
    expect(path, inEnum, "one of " + schema.getEnum(), value);
    if ("date-time".equals(schema.getFormat())) {
      try {
        OffsetDateTime.parse(value.asText());
      } catch (DateTimeParseException e) {
        violations.add(path + ": " + value + " is not an RFC 3339 date-time");
      }
    }
  }

  private boolean expect(String path, boolean ok, String what, JsonNode value) {
    if (!ok) {
      violations.add(path + ": expected " + what + ", got " + value);
    }
    return ok;
  }
}
