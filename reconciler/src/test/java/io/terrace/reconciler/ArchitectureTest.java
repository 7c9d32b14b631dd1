package io.terrace.reconciler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's packages depend on each other one way: the engine defines the contracts it
 * calls (drivers, observers, stop signals) and knows nothing of AWS; {@code aws} implements them;
 * the application is assembled above both.
 */
class ArchitectureTest {

    private static final JavaClasses RECONCILER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.terrace.reconciler");

    @Test
    void packagesHaveNoImportCycles() {
        slices().matching("io.terrace.reconciler.(*)..").should().beFreeOfCycles().check(RECONCILER);
    }

    @Test
    void theEngineDoesNotDependOnAwsOrItsSdk() {
        noClasses().that().resideInAPackage("io.terrace.reconciler.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.terrace.reconciler.aws..", "software.amazon.awssdk..")
                .check(RECONCILER);
    }
}
