package io.allowedami.plan;

import io.allowedami.aws.AllowedImagesGateway;
import io.allowedami.aws.AwsErrorClassifier;
import io.allowedami.compliance.CriteriaProposal;
import io.allowedami.compliance.CriteriaProposal.ImageUse;
import io.allowedami.compliance.CriteriaProposal.Proposal;
import io.allowedami.compliance.DescribedImage;
import io.allowedami.compliance.ImageFacts;
import io.allowedami.compliance.InstanceImage;
import io.allowedami.compliance.LaunchTemplateVersion;
import io.allowedami.domain.Failure;
import io.allowedami.plan.PlanReport.ProposalReport;
import io.allowedami.reconcile.LaunchTemplateScan;
import io.allowedami.reconcile.Messages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The images a policy's Regions use today, by running (and pending) instances and by the default
 * and latest versions of launch templates, gathered so that {@code plan} can propose criteria that
 * allow them all. What cannot be read or fitted (a read refused, an image given as an SSM
 * parameter, an image DescribeImages does not return) is said in a note, never guessed, and never
 * fails the plan.
 */
final class ImagesInUse {
  /** Instances in these states launch no more, but still run: what enabling must not break. */
  private static final Set<String> IN_USE_STATES = Set.of("running", "pending");

  /** Notes shown at most; beyond, one line says how many more. */
  static final int MAX_NOTES = 20;

  /** Launch template versions or image IDs one note names before "and N more". */
  static final int MAX_NAMED = 5;

  /**
   * The launch templates of one Region and the images they name, by image ID: {@code versions} null
   * when they could not be read, {@code images} null when their images could not be described;
   * {@code failure} says why; {@code truncated} when the Region has more versions than a scan
   * reads.
   */
  record Templates(
      List<LaunchTemplateVersion> versions,
      boolean truncated,
      Map<String, DescribedImage> images,
      Failure failure) {}

  /**
   * What one Region contributed: its instances (null when not read, {@code instancesFailure} says
   * why) and its launch templates (null when not read because the Region could not be read at all).
   */
  record RegionImages(
      String region,
      List<InstanceImage> instances,
      Failure instancesFailure,
      Templates templates) {}

  private ImagesInUse() {}

  /**
   * The operator's two reads of a scan ({@link LaunchTemplateScan#readVersions}, then {@link
   * LaunchTemplateScan#describeImages}), each failure kept apart: versions without their images
   * still say which are SSM parameters.
   */
  static Templates readTemplates(AllowedImagesGateway aws, String region) {
    LaunchTemplateScan.Versions read;
    try {
      read = LaunchTemplateScan.readVersions(aws, region);
    } catch (RuntimeException e) {
      return new Templates(null, false, null, AwsErrorClassifier.classify(e));
    }
    try {
      return new Templates(
          read.versions(),
          read.truncated(),
          LaunchTemplateScan.describeImages(aws, region, read.versions()),
          null);
    } catch (RuntimeException e) {
      return new Templates(read.versions(), read.truncated(), null, AwsErrorClassifier.classify(e));
    }
  }

  /** The proposal for everything these Regions use, with what it rests on and its notes. */
  static ProposalReport propose(List<RegionImages> regions, String accountId) {
    Gathered gathered = new Gathered();
    for (RegionImages region : regions) {
      gathered.add(region);
    }
    Proposal proposal = CriteriaProposal.propose(gathered.uses(), accountId);
    List<String> notes = new ArrayList<>(gathered.notes);
    notes.addAll(proposal.notes());
    return new ProposalReport(
        gathered.runningInstances,
        gathered.templateVersions,
        gathered.images.size(),
        ProposedCriteria.toSpec(proposal.criteria()),
        bounded(notes));
  }

  private static List<String> bounded(List<String> notes) {
    List<String> kept = new ArrayList<>();
    for (String note : notes) {
      if (kept.size() == MAX_NOTES) {
        kept.add("and " + (notes.size() - MAX_NOTES) + " more notes");
        break;
      }
      kept.add(Messages.bounded(note));
    }
    return kept;
  }

  /** The images of every Region, merged by image ID, and the notes of what was left out. */
  private static final class Gathered {
    final Map<String, ImageFacts> images = new TreeMap<>();
    final Map<String, Integer> instancesByImage = new HashMap<>();
    final Map<String, Integer> versionsByImage = new HashMap<>();
    final List<String> notes = new ArrayList<>();
    int runningInstances;
    int templateVersions;
    final List<String> ssmVersions = new ArrayList<>();
    final List<String> otherReferences = new ArrayList<>();
    final TreeSet<String> undescribed = new TreeSet<>();
    int versionsWithoutImage;

    void add(RegionImages region) {
      if (region.templates() == null) {
        notes.add(
            region.region()
                + ": could not be read ("
                + describe(region.instancesFailure())
                + "): the proposal does not cover it");
        return;
      }
      if (region.instances() == null) {
        notes.add(
            region.region()
                + ": instances could not be read ("
                + describe(region.instancesFailure())
                + "): the proposal does not cover them");
      } else {
        addInstances(region.instances());
      }
      Templates templates = region.templates();
      if (templates.versions() == null) {
        notes.add(
            region.region()
                + ": based on instances only: launch templates could not be read ("
                + describe(templates.failure())
                + ")");
      } else {
        addTemplates(region.region(), templates);
      }
    }

    private void addInstances(List<InstanceImage> instances) {
      // One instance's image facts stand for all of that image's: the first by instance ID.
      List<InstanceImage> sorted =
          instances.stream()
              .filter(i -> IN_USE_STATES.contains(i.instanceState()))
              .sorted(Comparator.comparing(InstanceImage::instanceId))
              .toList();
      for (InstanceImage instance : sorted) {
        runningInstances++;
        instancesByImage.merge(instance.imageId(), 1, Integer::sum);
        images.putIfAbsent(instance.imageId(), instance);
      }
    }

    private void addTemplates(String region, Templates templates) {
      Map<String, DescribedImage> described =
          templates.images() == null ? Map.of() : templates.images();
      // $Default and $Latest can be the same version: count it once.
      Map<String, LaunchTemplateVersion> versions = new TreeMap<>();
      for (LaunchTemplateVersion version : templates.versions()) {
        versions.putIfAbsent(version.templateId() + " v" + version.versionNumber(), version);
      }
      TreeSet<String> notDescribed = new TreeSet<>();
      for (var entry : versions.entrySet()) {
        LaunchTemplateVersion version = entry.getValue();
        templateVersions++;
        if (version.imageId().isPresent()) {
          String imageId = version.imageId().get();
          versionsByImage.merge(imageId, 1, Integer::sum);
          DescribedImage image = described.get(imageId);
          if (image != null) {
            // DescribeImages knows more (product codes) than an instance's metadata.
            images.put(imageId, image);
          } else if (!images.containsKey(imageId)) {
            notDescribed.add(imageId);
          }
        } else if (version.isSsmReference()) {
          ssmVersions.add(name(entry.getKey(), version) + " " + version.imageReference());
        } else if (version.imageReference() == null) {
          versionsWithoutImage++;
        } else {
          otherReferences.add(name(entry.getKey(), version) + " " + version.imageReference());
        }
      }
      if (templates.images() == null && !notDescribed.isEmpty()) {
        notes.add(
            region
                + ": the images of "
                + notDescribed.size()
                + " launch template versions could not be described ("
                + describe(templates.failure())
                + "): the proposal does not cover them: "
                + named(List.copyOf(notDescribed)));
      } else {
        undescribed.addAll(notDescribed);
      }
    }

    private static String name(String key, LaunchTemplateVersion version) {
      return version.templateName() == null ? key : key + " (" + version.templateName() + ")";
    }

    List<ImageUse> uses() {
      // Images seen by instances later in another Region may fill in an undescribed image.
      undescribed.removeIf(images::containsKey);
      for (String id : undescribed) {
        versionsByImage.remove(id);
      }
      if (!undescribed.isEmpty()) {
        notes.add(
            undescribed.size()
                + (undescribed.size() == 1 ? " image" : " images")
                + " of launch templates not returned by DescribeImages (deregistered, not shared"
                + " with the account, or not discoverable while Allowed AMIs is enabled): cannot"
                + " be fitted: "
                + named(List.copyOf(undescribed)));
      }
      if (!ssmVersions.isEmpty()) {
        notes.add(
            ssmVersions.size()
                + " launch template "
                + (ssmVersions.size() == 1 ? "version takes" : "versions take")
                + " the image from an SSM parameter, resolved only at launch: cannot be fitted: "
                + named(ssmVersions));
      }
      if (!otherReferences.isEmpty()) {
        notes.add(
            otherReferences.size()
                + " launch template versions name an image that is neither an AMI ID nor an SSM"
                + " parameter: cannot be fitted: "
                + named(otherReferences));
      }
      if (versionsWithoutImage > 0) {
        notes.add(
            versionsWithoutImage
                + " launch template "
                + (versionsWithoutImage == 1 ? "version names" : "versions name")
                + " no image (the launch supplies it): nothing to fit");
      }
      List<ImageUse> uses = new ArrayList<>();
      images.forEach(
          (id, facts) ->
              uses.add(
                  new ImageUse(
                      facts,
                      instancesByImage.getOrDefault(id, 0),
                      versionsByImage.getOrDefault(id, 0))));
      return uses;
    }

    private static String describe(Failure failure) {
      return failure == null ? "unknown" : failure.code() + ": " + failure.message();
    }

    private static String named(List<String> values) {
      String shown = String.join(", ", values.subList(0, Math.min(values.size(), MAX_NAMED)));
      return values.size() > MAX_NAMED
          ? shown + " and " + (values.size() - MAX_NAMED) + " more"
          : shown;
    }
  }
}
