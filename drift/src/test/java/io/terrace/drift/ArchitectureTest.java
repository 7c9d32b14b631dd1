package io.terrace.drift;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Drift detection is pure, like the planner it builds on: no AWS SDK, no git, no reconciler. */
class ArchitectureTest {

    private static final JavaClasses PURE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.terrace.drift", "io.terrace.planner");

    @Test
    void plannerAndDriftDoNotDependOnTheAwsSdkOrJgit() {
        noClasses().that().resideInAnyPackage("io.terrace.drift..", "io.terrace.planner..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "org.eclipse.jgit..")
                .check(PURE);
    }

    @Test
    void driftDoesNotDependOnTheReconciler() {
        noClasses().that().resideInAPackage("io.terrace.drift..")
                .should().dependOnClassesThat().resideInAPackage("io.terrace.reconciler..")
                .check(PURE);
    }
}
