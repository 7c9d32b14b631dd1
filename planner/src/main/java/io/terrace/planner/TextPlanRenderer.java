package io.terrace.planner;

import io.terrace.schema.Diagnostic;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;

/**
 * Renders a plan for a terminal, in the manner of {@code terraform plan}: one block per
 * environment, one line per change ({@code + create}, {@code ~ update}, {@code -/+ replace},
 * {@code - destroy}) with its differing attributes as {@code path: before -> after}, and a summary
 * line at the foot. Created resources list their attributes and any extra tags; Terrace's own
 * {@code terrace:*} tags, the same on every resource, are left to the JSON plan.
 */
public final class TextPlanRenderer implements PlanRenderer {

    private static final String TERRACE_TAGS = ResourceDiff.TAG_PREFIX + "terrace:";

    @Override
    public String render(Plan plan) {
        StringBuilder sb = new StringBuilder();
        for (EnvironmentPlan env : plan.environments()) {
            sb.append(heading(env)).append('\n');
            body(env, "  ", sb);
            sb.append('\n');
        }
        summary(plan.summary(), plan, sb);
        return sb.toString();
    }

    /** {@code Environment acme (business, production) at revision 1a2b3c}. */
    static String heading(EnvironmentPlan env) {
        String what = env.invalid() ? "invalid spec"
                : env.tier().isEmpty() ? "no spec file"
                : env.tier().map(Tier::id).orElseThrow() + ", " + env.stage().map(Stage::id).orElseThrow();
        return "Environment " + env.name() + " (" + what + ") at revision " + env.revision();
    }

    /** The lines under an environment's heading, each prefixed with {@code indent}. */
    static void body(EnvironmentPlan env, String indent, StringBuilder sb) {
        env.pausedReason().ifPresent(r -> sb.append(indent).append("# paused: ").append(r)
                .append(" (planned, not applied)\n"));
        for (Diagnostic d : env.diagnostics()) {
            sb.append(indent).append("error: ").append(d).append('\n');
        }
        if (env.invalid()) {
            sb.append(indent).append("Not planned: the spec is invalid.\n");
            return;
        }
        if (!env.hasChanges()) {
            sb.append(indent).append("No changes.\n");
        }
        for (Change c : env.actions()) {
            change(c, indent, sb);
        }
        validations(DnsValidation.pending(env), indent, sb);
    }

    /** The DNS records a pending certificate waits for, under one heading per certificate. */
    private static void validations(java.util.List<DnsValidation> pending, String indent, StringBuilder sb) {
        String last = null;
        for (DnsValidation v : pending) {
            if (!v.certificate().equals(last)) {
                sb.append(indent).append("# ").append(v.certificate()).append(" is ").append(v.status())
                        .append(": publish these DNS records to validate it\n");
                last = v.certificate();
            }
            sb.append(indent).append("    ").append(v.record()).append('\n');
        }
    }

    private static void change(Change c, String indent, StringBuilder sb) {
        sb.append(indent).append(c.action().symbol()).append(' ').append(word(c.action())).append(' ')
                .append(c.address()).append(" (").append(c.type().id()).append(")\n");
        String inner = indent + "    ";
        if (c.deferred()) {
            c.blockedReason().ifPresent(r -> sb.append(inner).append("# ").append(r).append('\n'));
        } else {
            c.blockedReason().ifPresent(r -> sb.append(inner).append("! blocked: ").append(r).append('\n'));
        }
        for (AttributeChange a : c.attributes()) {
            if (c.action() == Action.CREATE && a.path().startsWith(TERRACE_TAGS)) {
                continue; // the same four on every resource, and in the heading: noise here (JSON keeps them)
            }
            sb.append(inner).append(a.path()).append(": ");
            if (c.action() == Action.CREATE) {
                sb.append(AttributeValues.display(a.after()));
            } else {
                sb.append(AttributeValues.display(a.before())).append(" -> ").append(AttributeValues.display(a.after()));
            }
            if (c.action() == Action.REPLACE && c.type().replaceOn().contains(a.path())) {
                sb.append("  # forces replacement");
            }
            sb.append('\n');
        }
    }

    /** The word after the symbol: create, update, replace, destroy. */
    public static String word(Action action) {
        return switch (action) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case REPLACE -> "replace";
            case DELETE -> "destroy";
            case NO_OP -> "no-op";
        };
    }

    static void summary(Plan.Summary s, Plan plan, StringBuilder sb) {
        sb.append("Plan: ").append(s.create()).append(" to create, ").append(s.update()).append(" to update, ")
                .append(s.replace()).append(" to replace, ").append(s.delete()).append(" to delete.\n");
        if (s.blocked() > 0) {
            sb.append("Blocked: ").append(s.blocked()).append(s.blocked() == 1 ? " change" : " changes")
                    .append(" will not be applied (see \"! blocked\" above).\n");
        }
        long deferred = plan.environments().stream().mapToLong(e -> e.deferred().size()).sum();
        if (deferred > 0) {
            sb.append("Deferred: ").append(deferred).append(deferred == 1 ? " change waits" : " changes wait")
                    .append(" for the maintenance window; the rest applies now (terrace apply --now applies all).\n");
        }
        if (s.invalid() > 0) {
            sb.append("Invalid: ").append(s.invalid()).append(s.invalid() == 1 ? " environment" : " environments")
                    .append(" not planned until the errors above are fixed.\n");
        }
        long paused = plan.environments().stream().filter(EnvironmentPlan::paused).count();
        if (paused > 0) {
            sb.append("Paused: ").append(paused).append(paused == 1 ? " environment" : " environments")
                    .append(" planned but not applied.\n");
        }
    }
}
