package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One launch template version that would fail to launch, or cannot be judged, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "name", "version", "defaultVersion", "image", "verdict", "reason"})
public record LaunchTemplateRef(
    @JsonPropertyDescription("The launch template ID.") String id,
    @JsonPropertyDescription("The launch template name.") String name,
    @JsonPropertyDescription("The version number.") Long version,
    @JsonPropertyDescription("True when this is the template's default version.")
        Boolean defaultVersion,
    @JsonPropertyDescription("The image the version launches: an AMI ID or an SSM parameter.")
        String image,
    @JsonPropertyDescription(
            "NotAllowed (the desired criteria would not allow the image), ImageNotFound (the"
                + " account cannot find the image) or Unknown.")
        String verdict,
    @JsonPropertyDescription("Why, in one line.") String reason) {}
