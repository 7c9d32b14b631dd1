package io.terrace.reconciler.cli;

import static io.terrace.reconciler.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code database.restoreFrom: <snapshot id>} of a snapshot holding another client's data is
 * refused when the environment is planned, before anything is created, against moto: the
 * snapshot's copied {@code terrace:environment} tag (or its source cluster's) names an
 * environment of another client; one of the same client plans normally.
 */
@NeedsMoto
class RestoreSnapshotClientIT {

    private static final String ENV = "acme-copy";
    private static final String GLOBEX = "terrace-globex-production";

    @TempDir
    Path dir;

    private SpecRepo repo;
    private AwsClients check;
    private String endpoint;

    @BeforeEach
    void setUp() throws Exception {
        Moto.reset();
        endpoint = Moto.endpoint().toString();
        check = Moto.clients();
        repo = SpecRepo.ofExamples(dir);
        // A Globex cluster in the new environment's region (eu-west-1), tagged as Terrace tags its clusters.
        check.rds.createDBCluster(r -> r.dbClusterIdentifier(GLOBEX).engine("aurora-mysql")
                .engineVersion("8.0.mysql_aurora.3.08.2").masterUsername("admin").masterUserPassword("not-a-secret-1")
                .copyTagsToSnapshot(true)
                .tags(t -> t.key("terrace:environment").value("globex-production"),
                        t -> t.key("terrace:managed-by").value("terrace")));
    }

    @AfterEach
    void tearDown() {
        check.close();
    }

    private CliRun terrace(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--repo", dir.toString(), "--endpoint-url", endpoint}, 0, all, args.length, 4);
        return run(all);
    }

    private void restoring(String snapshot) throws Exception {
        SpecRepo.write(dir, "environments/" + ENV + ".yaml", SpecRepo.standardSpec(ENV, 4)
                + "database:\n  restoreFrom: " + snapshot + "\n");
    }

    private int vpcs() {
        return check.ec2.describeVpcs().vpcs().size();
    }

    @Test
    void aSnapshotOfAnotherClientsEnvironmentIsRefusedBeforeAnythingIsCreated() throws Exception {
        check.rds.createDBClusterSnapshot(r -> r.dbClusterIdentifier(GLOBEX).dbClusterSnapshotIdentifier("globex-nightly"));
        restoring("globex-nightly");
        String refusal = "environments/acme-copy.yaml: database.restoreFrom 'globex-nightly' is a snapshot of "
                + "environment 'globex-production' of client 'globex', not 'acme'; a database is restored only from "
                + "the same client's snapshots";

        CliRun plan = terrace("plan", "--env=" + ENV);
        assertEquals(TerraceCli.ERROR, plan.exit(), plan.printed());
        assertTrue(plan.printed().contains(refusal), plan.printed());
        assertTrue(!plan.printed().contains("acme-copy.yaml: environments/"), "the file is named once: " + plan.printed());

        int before = vpcs();
        CliRun apply = terrace("apply", "--env=" + ENV, "--auto-approve");
        assertEquals(TerraceCli.ERROR, apply.exit(), apply.printed());
        assertTrue(apply.printed().contains(refusal), apply.printed());
        assertEquals(before, vpcs(), "no network created");
        assertEquals(0, check.cloudFormation.describeStacks().stacks().size(), "no stack created");
    }

    @Test
    void anUntaggedSnapshotIsKnownByItsSourceCluster() throws Exception {
        check.rds.createDBClusterSnapshot(r -> r.dbClusterIdentifier(GLOBEX).dbClusterSnapshotIdentifier("hand-made")
                .tags(t -> t.key("note").value("before the migration")));
        restoring("hand-made");

        CliRun plan = terrace("plan", "--env=" + ENV);
        assertEquals(TerraceCli.ERROR, plan.exit(), plan.printed());
        assertTrue(plan.printed().contains("environments/acme-copy.yaml: database.restoreFrom 'hand-made' is a snapshot "
                + "of environment 'globex-production' of client 'globex', not 'acme'"), plan.printed());
    }

    @Test
    void aSnapshotOfTheSameClientPlansItsRestore() throws Exception {
        check.rds.createDBCluster(r -> r.dbClusterIdentifier("terrace-acme-production").engine("aurora-mysql")
                .engineVersion("8.0.mysql_aurora.3.08.2").masterUsername("admin").masterUserPassword("not-a-secret-1")
                .copyTagsToSnapshot(true).tags(t -> t.key("terrace:environment").value("acme-production")));
        check.rds.createDBClusterSnapshot(r -> r.dbClusterIdentifier("terrace-acme-production")
                .dbClusterSnapshotIdentifier("acme-nightly"));
        restoring("acme-nightly");

        CliRun plan = terrace("plan", "--env=" + ENV);
        assertEquals(TerraceCli.CHANGES, plan.exit(), plan.printed());
        assertTrue(plan.out().contains("restoreFrom: \"acme-nightly\"") || plan.out().contains("acme-nightly"),
                plan.out());
    }
}
