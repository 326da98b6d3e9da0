package io.allowedami.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Which launches from a Region's launch templates would fail under the desired criteria: what
 * enabling breaks next, since running instances are never stopped.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "scannedAt",
  "templates",
  "versions",
  "allowed",
  "wouldFail",
  "unknown",
  "withoutImage",
  "partial",
  "failing",
  "omitted",
  "error"
})
public record LaunchTemplateCompliance(
    @JsonPropertyDescription(
            "When the launch templates were last read (RFC 3339); they are read again at the"
                + " policy's launchTemplateScanInterval and when the spec changes, and judged again"
                + " at every resync.")
        String scannedAt,
    @JsonPropertyDescription("Launch templates in the Region.") Integer templates,
    @JsonPropertyDescription(
            "Default and latest versions judged (a version that is both counts once).")
        Integer versions,
    @JsonPropertyDescription("Versions whose image the desired criteria allow.") Integer allowed,
    @JsonPropertyDescription(
            "Versions a launch from which would fail: the image would not be allowed, or cannot"
                + " be found at all.")
        Integer wouldFail,
    @JsonPropertyDescription(
            "Versions whose image cannot be judged: an SSM parameter (resolve:ssm:) resolved only"
                + " at launch, or metadata that does not decide. Never guessed.")
        Integer unknown,
    @JsonPropertyDescription("Versions that name no image: the launch request supplies it.")
        Integer withoutImage,
    @JsonPropertyDescription(
            "True when the Region has more versions than one scan reads (10,000): the figures"
                + " cover part of it.")
        Boolean partial,
    @JsonPropertyDescription(
            "The first versions that would fail, then those that cannot be judged (bounded).")
        List<LaunchTemplateRef> failing,
    @JsonPropertyDescription("How many further failing or unknown versions are not listed.")
        Integer omitted,
    @JsonPropertyDescription(
            "Why the launch templates could not be read, when they could not; the settings"
                + " converge regardless unless rollout.maxBlockedLaunchTemplates is set.")
        RegionError error) {}
