package sh.eraser.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.time.Instant;
import java.util.ArrayList;

/**
 * Schema-only twin of a list of fabric8 {@link io.fabric8.kubernetes.api.model.Condition}s: the
 * fabric8 model carries no field descriptions, so status classes point the CRD generator here
 * ({@code @SchemaFrom}) while their Java type stays the fabric8 one. Never instantiated.
 */
final class ConditionsSchema extends ArrayList<ConditionsSchema.Entry> {

  private ConditionsSchema() {}

  /** One condition, field for field as Kubernetes defines it. */
  static final class Entry {

    @Required
    @JsonProperty
    @JsonPropertyDescription(
        "Kind of condition in CamelCase, for example Ready; one entry per type at most.")
    private String type;

    @Required
    @JsonProperty
    @JsonPropertyDescription("True, False or Unknown.")
    private String status;

    @JsonProperty
    @JsonPropertyDescription(
        "Machine-readable CamelCase word for the last change of status, for example"
            + " JobCompleted.")
    private String reason;

    @JsonProperty
    @JsonPropertyDescription("Human-readable explanation of the last change; may be empty.")
    private String message;

    @JsonProperty
    @JsonPropertyDescription("When status last changed from one value to another.")
    private Instant lastTransitionTime;

    @JsonProperty
    @JsonPropertyDescription(
        "metadata.generation of the object when this condition was set; older than the current"
            + " generation means the condition may be out of date.")
    private Long observedGeneration;

    private Entry() {}
  }
}
