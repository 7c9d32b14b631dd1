package io.terrace.planner;

import io.terrace.schema.SpecTagKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attribute-level difference between one desired resource and what is live at its address:
 * the single diff both the planner and drift detection use.
 *
 * <p>Only attributes the desired resource declares are compared; extra live keys (ARNs, stack
 * outputs) are read-only facts and never a difference, and an attribute a resource whose
 * {@linkplain ObservedResource#detailsUnread details are unread} lacks is not compared. Tags are compared as {@code tags.<key>}:
 * every desired tag except {@code terrace:revision} (metadata, set on every create and update but
 * never a reason for one), every live {@code terrace:*} tag Terrace no longer wants (so undoing
 * a decommission removes {@code terrace:decommission}) and every spec tag the spec has dropped
 * (named in the live {@code terrace:tags} record, see {@link SpecTagKeys}). Other live tags belong
 * to someone else and are left alone.
 *
 * @param action     {@link Action#CREATE} when nothing is live, {@link Action#REPLACE} when a
 *                   differing attribute cannot change in place, else UPDATE or NO_OP
 * @param attributes before/after per differing path, attributes first, then tags, each by name
 */
public record ResourceDiff(Action action, List<AttributeChange> attributes) {

    /** Prefix of attribute paths that are tags. */
    public static final String TAG_PREFIX = "tags.";

    public ResourceDiff {
        attributes = List.copyOf(attributes);
    }

    public boolean differs() {
        return action != Action.NO_OP;
    }

    /** Compares a desired resource with the live resource at its address, if any. */
    public static ResourceDiff of(Resource desired, Optional<ObservedResource> observed) {
        return observed.map(o -> of(desired, o)).orElseGet(() -> creating(desired));
    }

    /** Compares a desired resource with the live one at the same address. */
    public static ResourceDiff of(Resource desired, ObservedResource observed) {
        List<AttributeChange> changes = new ArrayList<>();
        boolean replace = false;
        for (Map.Entry<String, Object> e : desired.attributes().entrySet()) {
            if (AttributeKeys.CREATE_ONLY.contains(e.getKey())) {
                continue;
            }
            if (!observed.attributes().containsKey(e.getKey()) && (observed.detailsUnread()
                    || AttributeKeys.whenReported(desired.type()).contains(e.getKey()))) {
                continue;
            }
            Object live = observed.attributes().get(e.getKey());
            if (!AttributeValues.satisfies(e.getValue(), live)) {
                changes.add(new AttributeChange(e.getKey(), live, AttributeValues.target(e.getValue(), live)));
                replace |= desired.type().replaceOn().contains(e.getKey());
            }
        }
        for (Map.Entry<String, String> e : desired.tags().entrySet()) {
            if (e.getKey().equals(ObservedResource.REVISION)) {
                continue;
            }
            String live = observed.tags().get(e.getKey());
            if (!e.getValue().equals(live)) {
                changes.add(new AttributeChange(TAG_PREFIX + e.getKey(), live, e.getValue()));
            }
        }
        for (Map.Entry<String, String> e : observed.tags().entrySet()) {
            String key = e.getKey();
            if (key.startsWith("terrace:") && !key.equals(ObservedResource.REVISION) && !desired.tags().containsKey(key)) {
                changes.add(new AttributeChange(TAG_PREFIX + key, e.getValue(), null));
            }
        }
        for (String key : SpecTagKeys.dropped(observed.tags(), desired.tags())) {
            changes.add(new AttributeChange(TAG_PREFIX + key, observed.tags().get(key), null));
        }
        sortTagsAfterAttributes(changes);
        Action action = changes.isEmpty() ? Action.NO_OP : replace ? Action.REPLACE : Action.UPDATE;
        return new ResourceDiff(action, changes);
    }

    /** Every desired attribute and tag, from nothing. */
    public static ResourceDiff creating(Resource desired) {
        List<AttributeChange> changes = new ArrayList<>();
        desired.attributes().forEach((k, v) -> changes.add(new AttributeChange(k, null, v)));
        desired.tags().forEach((k, v) -> changes.add(new AttributeChange(TAG_PREFIX + k, null, v)));
        return new ResourceDiff(Action.CREATE, changes);
    }

    /** Every live attribute, to nothing. */
    public static ResourceDiff deleting(ObservedResource observed) {
        List<AttributeChange> changes = new ArrayList<>();
        observed.attributes().forEach((k, v) -> changes.add(new AttributeChange(k, v, null)));
        return new ResourceDiff(Action.DELETE, changes);
    }

    private static void sortTagsAfterAttributes(List<AttributeChange> changes) {
        changes.sort((a, b) -> {
            boolean ta = a.path().startsWith(TAG_PREFIX);
            boolean tb = b.path().startsWith(TAG_PREFIX);
            return ta != tb ? Boolean.compare(ta, tb) : a.path().compareTo(b.path());
        });
    }
}
