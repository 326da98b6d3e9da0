package io.allowedami.api;

import io.allowedami.api.v1alpha1.AllowedAmiPolicy;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerationInfo;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Generates the CRD at build time (Maven's process-classes phase) with fabric8's CRD generator, as
 * its Maven plugin would, and keeps the printer columns in the order the model declares them: the
 * generator sorts them by JSON path, which puts Age ({@code .metadata}) first and Mode after it,
 * and its Maven plugin offers no way to change that. Not used at run time.
 */
public final class CrdGeneration {

  private CrdGeneration() {}

  /**
   * @param args the output directory, for example {@code target/classes/META-INF/fabric8}
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CrdGeneration <output directory>");
    }
    File outputDirectory = new File(args[0]);
    if (!outputDirectory.isDirectory() && !outputDirectory.mkdirs()) {
      throw new IllegalStateException("cannot create " + outputDirectory);
    }
    CRDGenerationInfo generated =
        new CRDGenerator()
            .customResourceClasses(AllowedAmiPolicy.class)
            .withPostProcessor(inDeclaredColumnOrder(AllowedAmiPolicy.class))
            .inOutputDir(outputDirectory)
            .detailedGenerate();
    if (generated.numberOfGeneratedCRDs() != 1) {
      throw new IllegalStateException("expected one CRD, generated " + generated);
    }
  }

  /**
   * Orders each version's printer columns as the {@link AdditionalPrinterColumn} annotations are
   * declared on {@code resource}; columns from elsewhere keep the generator's order, after them.
   */
  static CRDPostProcessor inDeclaredColumnOrder(Class<?> resource) {
    List<String> declared =
        Stream.of(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::jsonPath)
            .toList();
    Comparator<CustomResourceColumnDefinition> byDeclaration =
        Comparator.comparingInt(
            column -> {
              int index = declared.indexOf(column.getJsonPath());
              return index < 0 ? declared.size() : index;
            });
    return new CRDPostProcessor() {
      @Override
      public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
          for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
            if (version.getAdditionalPrinterColumns() == null) {
              continue;
            }
            List<CustomResourceColumnDefinition> columns =
                new ArrayList<>(version.getAdditionalPrinterColumns());
            columns.sort(byDeclaration);
            version.setAdditionalPrinterColumns(columns);
          }
        }
        return crd;
      }
    };
  }
}
