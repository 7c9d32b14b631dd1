package io.terrace.schema;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys of a spec's own tags as Terrace records them on every resource it tags, in the
 * {@value #TAG} tag: the keys sorted and joined with {@code /}, where a {@code /} or {@code =}
 * inside a key is written {@code =/} or {@code ==} ({@code cost-centre/team=/owner} for the keys
 * {@code cost-centre} and {@code team/owner}). The tag is how Terrace tells a spec tag that was
 * removed from the spec (removed from AWS too) from a tag someone added by hand (left alone).
 * Every character used is allowed in an AWS tag value; the schema bounds a spec's tag keys so the
 * value never exceeds {@value #MAX_LENGTH} characters.
 */
public final class SpecTagKeys {

    /** The tag holding the recorded keys. */
    public static final String TAG = "terrace:tags";

    /** AWS's limit on a tag value. */
    public static final int MAX_LENGTH = 256;

    private SpecTagKeys() {}

    /**
     * Spec tags Terrace set and the spec has since dropped: keys the live {@value #TAG} tag records
     * that are still live but no longer desired. Reserved keys ({@code terrace:}, {@code aws:}) are
     * never named, whatever a hand-edited record says; a live tag the record does not name (one
     * added by hand) never is either.
     */
    public static List<String> dropped(Map<String, String> live, Map<String, String> desired) {
        String recorded = live.get(TAG);
        if (recorded == null) {
            return List.of();
        }
        return decode(recorded).stream()
                .filter(live::containsKey)
                .filter(k -> !desired.containsKey(k))
                .filter(k -> SpecRules.RESERVED_TAG_PREFIXES.stream().noneMatch(k.toLowerCase(Locale.ROOT)::startsWith))
                .sorted()
                .toList();
    }

    /** The recorded form of {@code keys}; empty for no keys. */
    public static String encode(Collection<String> keys) {
        StringBuilder out = new StringBuilder();
        for (String key : new TreeSet<>(keys)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(key.replace("=", "==").replace("/", "=/"));
        }
        return out.toString();
    }

    /**
     * The keys a recorded value names. A value that is not in the recorded form (edited by hand)
     * names no key, so nothing is removed on its account.
     */
    public static Set<String> decode(String value) {
        Set<String> keys = new LinkedHashSet<>();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=') {
                if (i + 1 == value.length()) {
                    return Set.of();
                }
                key.append(value.charAt(++i));
            } else if (c == '/') {
                if (key.length() == 0) {
                    return Set.of();
                }
                keys.add(key.toString());
                key.setLength(0);
            } else {
                key.append(c);
            }
        }
        if (key.length() > 0) {
            keys.add(key.toString());
        } else if (!value.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(keys);
    }
}
