package io.terrace.reconciler.daemon;

import io.terrace.reconciler.cluster.SweepShares;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which environments this daemon's drift sweep covers, and which drift report it shows. Alone, a
 * daemon sweeps every environment and shows its own report. A node of a cluster sweeps the
 * regions that fall to it ({@link SweepShares}), keeps its report in the database, and shows every
 * node's, gathered.
 */
interface SweepShare {

    /**
     * The environments of the sweep starting now (the nodes alive may differ from the last
     * one's), of those {@code unitByEnvironment} names with the unit each is swept in.
     */
    Predicate<String> mine(Map<String, String> unitByEnvironment);

    /**
     * Whether an observe of many environments outside a sweep (a start's or a commit's) is made
     * unit by unit: in a cluster the first node to poll at a start claims the whole fleet, and
     * observing it at once would take one daemon's memory on a node sized for its share.
     */
    boolean observesUnitByUnit();

    /** Keeps a sweep's report where the other nodes read it. */
    void publish(DriftReportFiles.Sweep sweep);

    /** The drift report to show: {@code local}'s newest, or every node's gathered. */
    Optional<String> report(DriftReportFiles local);

    /** A daemon alone: every environment, its own report. */
    SweepShare WHOLE = new SweepShare() {
        @Override
        public Predicate<String> mine(Map<String, String> unitByEnvironment) {
            return environment -> true;
        }

        @Override
        public boolean observesUnitByUnit() {
            return false;
        }

        @Override
        public void publish(DriftReportFiles.Sweep sweep) {
        }

        @Override
        public Optional<String> report(DriftReportFiles local) {
            return local.latestJson();
        }
    };

    /**
     * A node's share. Reports of sweeps older than three drift intervals are left out: the nodes
     * that made them are gone, and the others have swept their environments since.
     */
    static SweepShare of(SweepShares shares, Duration driftInterval, Clock clock) {
        Logger log = LoggerFactory.getLogger("terrace.daemon");
        return new SweepShare() {
            @Override
            public Predicate<String> mine(Map<String, String> unitByEnvironment) {
                return shares.mine(unitByEnvironment);
            }

            @Override
            public boolean observesUnitByUnit() {
                return true;
            }

            @Override
            public void publish(DriftReportFiles.Sweep sweep) {
                shares.publish(sweep.at(), DriftReportFiles.json(sweep));
            }

            @Override
            public Optional<String> report(DriftReportFiles local) {
                try {
                    return DriftReportFiles.gather(shares.reports(clock.instant().minus(driftInterval.multipliedBy(3))))
                            .or(local::latestJson);
                } catch (IllegalStateException e) {
                    log.atWarn().setMessage("drift-reports-unreadable").addKeyValue("error", e.getMessage()).log();
                    return local.latestJson();
                }
            }
        };
    }
}
