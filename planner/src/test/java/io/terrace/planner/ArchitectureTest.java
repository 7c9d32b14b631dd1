package io.terrace.planner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The planner is pure: plans are computed and tested with no AWS SDK and no git. */
class ArchitectureTest {

    private static final JavaClasses PLANNER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.terrace.planner");

    @Test
    void plannerDoesNotDependOnTheAwsSdkOrJgit() {
        noClasses().that().resideInAPackage("io.terrace.planner..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "org.eclipse.jgit..")
                .check(PLANNER);
    }

    @Test
    void plannerDoesNotDependOnTheReconcilerOrDrift() {
        noClasses().that().resideInAPackage("io.terrace.planner..")
                .should().dependOnClassesThat().resideInAnyPackage("io.terrace.reconciler..", "io.terrace.drift..")
                .check(PLANNER);
    }
}
