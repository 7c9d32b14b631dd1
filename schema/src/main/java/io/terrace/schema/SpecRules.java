package io.terrace.schema;

import io.terrace.schema.EnvironmentSpec.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The per-file rules of spec v1 that JSON Schema cannot express, checked on a spec that passed its
 * tier's schema (defaults applied): file name equals {@code name}, Fargate CPU/memory pairs,
 * multi-az only where the tier and stage allow it and with redundant servers, {@code min <= max},
 * a pinned image (tag or digest, never {@code :latest}), tag keys that AWS accepts, outside the
 * reserved {@code terrace:} and {@code aws:} prefixes and short enough together to be recorded in
 * the {@value SpecTagKeys#TAG} tag (see {@link SpecTagKeys}).
 */
final class SpecRules {

    /** Tag key prefixes reserved for Terrace's own tags and for AWS. */
    static final List<String> RESERVED_TAG_PREFIXES = List.of("terrace:", "aws:");

    private static final int MAX_TAG_KEY = 128;
    private static final Pattern TAG_KEY = Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+$");
    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    private static final Pattern DIGEST = Pattern.compile("^[a-z0-9]+([+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$");

    private final String file;
    private final String fileStem;
    private final SourceMap positions;
    private final List<Diagnostic> problems = new ArrayList<>();

    private SpecRules(String file, String fileStem, SourceMap positions) {
        this.file = file;
        this.fileStem = fileStem;
        this.positions = positions;
    }

    static List<Diagnostic> check(String file, String fileStem, SourceMap positions, EnvironmentSpec spec) {
        SpecRules rules = new SpecRules(file, fileStem, positions);
        rules.fileName(spec);
        rules.image(spec.application().image());
        rules.fargate(spec.application().web());
        rules.range("/application/web", spec.application().web().range());
        rules.range("/application/cavalcade", spec.application().cavalcade());
        rules.range("/database/readers", spec.database().readers());
        rules.availability(spec);
        rules.tags(spec.tags());
        rules.maintenance(spec.maintenance());
        return rules.problems;
    }

    private void fileName(EnvironmentSpec spec) {
        if (!spec.name().equals(fileStem)) {
            report("/name", "name is " + Excerpt.quote(spec.name()) + " but the file is " + Excerpt.bare(file)
                    + "; the file name must equal name (" + spec.name() + ".yaml)");
        }
    }

    private void image(String image) {
        String pointer = "/application/image";
        int at = image.indexOf('@');
        String reference = at >= 0 ? image.substring(0, at) : image;
        String lastSegment = reference.substring(reference.lastIndexOf('/') + 1);
        int colon = lastSegment.indexOf(':');
        String tag = colon >= 0 ? lastSegment.substring(colon + 1) : "";
        if (at >= 0 && !DIGEST.matcher(image.substring(at + 1)).matches()) {
            report(pointer, "application.image " + Excerpt.quote(image) + " has a malformed digest; expected @sha256:<hex>");
        } else if (colon >= 0 && !TAG.matcher(tag).matches()) {
            report(pointer, "application.image " + Excerpt.quote(image) + " has a malformed tag " + Excerpt.quote(tag));
        } else if (tag.equals("latest")) {
            report(pointer, "application.image " + Excerpt.quote(image) + " uses the tag 'latest', which is refused; "
                    + "pin a version tag or digest so every apply runs the same code");
        } else if (at < 0 && colon < 0) {
            report(pointer, "application.image " + Excerpt.quote(image) + " has no tag or digest; "
                    + "pin one, e.g. " + Excerpt.bare(image) + ":1.0.0");
        }
    }

    private void fargate(EnvironmentSpec.Web web) {
        FargateSizes.memoryFor(web.cpu()).ifPresent(choice -> {
            if (!choice.allows(web.memory())) {
                report("/application/web/memory", "application.web.memory is " + web.memory()
                        + defaulted("/application/web/memory") + "; with cpu " + web.cpu()
                        + " Fargate allows memory " + choice);
            }
        });
    }

    private void range(String pointer, Range range) {
        if (range.min() > range.max()) {
            String path = SourceMap.dotted(pointer);
            report(pointer + "/min", path + ".min is " + range.min() + defaulted(pointer + "/min")
                    + " but " + path + ".max is " + range.max() + defaulted(pointer + "/max")
                    + "; min must not exceed max");
        }
    }

    private void availability(EnvironmentSpec spec) {
        if (!spec.availability().isMultiAz()) {
            return;
        }
        boolean tierAllows = spec.tier() == Tier.BUSINESS || spec.tier() == Tier.ENTERPRISE;
        if (!tierAllows) {
            report("/availability", "availability is multi-az; tier " + spec.tier().id() + " allows only single-az");
        } else if (spec.stage() != Stage.PRODUCTION) {
            report("/availability", "availability is multi-az but stage is " + spec.stage().id()
                    + "; tier " + spec.tier().id() + " allows multi-az only on stage production");
        }
        String why = "; availability multi-az needs redundant servers in separate zones";
        if (spec.database().readers().min() < 1) {
            report(orAvailability("/database/readers/min"), "database.readers.min is " + spec.database().readers().min()
                    + defaulted("/database/readers/min") + why + ": at least 1 reader");
        }
        if (spec.cache().replicas() < 1) {
            report(orAvailability("/cache/replicas"), "cache.replicas is " + spec.cache().replicas()
                    + defaulted("/cache/replicas") + why + ": at least 1 replica");
        }
        if (spec.search().nodes() < 2) {
            report(orAvailability("/search/nodes"), "search.nodes is " + spec.search().nodes()
                    + defaulted("/search/nodes") + why + ": at least 2 nodes");
        }
    }

    private void maintenance(EnvironmentSpec.Maintenance maintenance) {
        maintenance.window().ifPresent(text -> MaintenanceWindow.parse(text).problem().ifPresent(problem ->
                report("/maintenance/window", "maintenance.window " + Excerpt.quote(text) + " " + problem)));
    }

    private void tags(Map<String, String> tags) {
        for (String key : tags.keySet()) {
            String pointer = SourceMap.child("/tags", key);
            String lower = key.toLowerCase(Locale.ROOT);
            String quoted = "tag key " + Excerpt.quote(key);
            RESERVED_TAG_PREFIXES.stream().filter(lower::startsWith).findFirst().ifPresentOrElse(
                    prefix -> reportKey(pointer, quoted + " uses the reserved prefix '" + prefix
                            + "'; tag keys may not start with terrace: or aws:"),
                    () -> {
                        if (key.isEmpty() || key.length() > MAX_TAG_KEY) {
                            reportKey(pointer, quoted + " is " + key.length() + " characters long; AWS allows 1 to "
                                    + MAX_TAG_KEY);
                        } else if (!TAG_KEY.matcher(key).matches()) {
                            reportKey(pointer, quoted + " has a character AWS does not allow in a tag key; use "
                                    + "letters, digits, spaces and _ . : / = + - @");
                        }
                    });
        }
        int recorded = SpecTagKeys.encode(tags.keySet()).length();
        boolean eachKeyFits = tags.keySet().stream().allMatch(k -> k.length() <= MAX_TAG_KEY);
        if (eachKeyFits && recorded > SpecTagKeys.MAX_LENGTH) {
            reportKey("/tags", "tags: the keys take " + recorded + " characters once joined in the "
                    + SpecTagKeys.TAG + " tag (sorted, separated by /); at most " + SpecTagKeys.MAX_LENGTH
                    + " fit, so use fewer or shorter keys");
        }
    }

    /** A defaulted value breaks a multi-az rule because of availability: blame that line. */
    private String orAvailability(String pointer) {
        return positions.has(pointer) ? pointer : "/availability";
    }

    /** " (default)" when the value was not written in the file but filled in from the schema. */
    private String defaulted(String pointer) {
        return positions.has(pointer) ? "" : " (default)";
    }

    private void report(String pointer, String message) {
        SourceMap.Position p = positions.value(pointer);
        problems.add(new Diagnostic(file, p.line(), p.column(), message));
    }

    private void reportKey(String pointer, String message) {
        SourceMap.Position p = positions.key(pointer);
        problems.add(new Diagnostic(file, p.line(), p.column(), message));
    }
}
