package io.terrace.reconciler.git;

import io.terrace.schema.Availability;
import io.terrace.schema.Diagnostic;
import io.terrace.schema.DriftMode;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads a commit like {@link SpecSnapshot#read(Repository, ObjectId)}, with a small stand-in for
 * the schema loader (developer tier, web.max ≤ 2) while the real one is not merged.
 */
public final class InterimSpecReader implements SnapshotReader {

    @Override
    public SpecSnapshot read(Repository repo, ObjectId commitId) {
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            RevCommit commit = walk.parseCommit(commitId);
            Map<String, byte[]> files = new LinkedHashMap<>();
            Optional<String> pause = Optional.empty();
            try (TreeWalk tw = new TreeWalk(reader)) {
                tw.addTree(commit.getTree());
                tw.setRecursive(true);
                while (tw.next()) {
                    String path = tw.getPathString();
                    byte[] bytes = reader.open(tw.getObjectId(0)).getBytes();
                    if (path.equals(SpecRepository.PAUSE_FILE)) {
                        String text = new String(bytes, StandardCharsets.UTF_8);
                        pause = Optional.of(text.lines().findFirst().orElse("").strip());
                    } else if (SpecSnapshot.isSpecPath(path)) {
                        files.put(path, bytes);
                    }
                }
            }
            List<SpecResult> results = new ArrayList<>();
            files.forEach((path, bytes) -> results.add(load(path, new String(bytes, StandardCharsets.UTF_8))));
            return new SpecSnapshot(commit.name(), new SpecSet(results, pause), files,
                    SpecSnapshot.revisions(repo, commit, files.keySet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static SpecResult load(String path, String text) {
        String name = SpecSnapshot.environmentOf(path);
        Map<String, Object> y = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        Map<String, Object> app = (Map<String, Object>) y.get("application");
        Map<String, Object> web = (Map<String, Object>) app.get("web");
        int max = ((Number) web.get("max")).intValue();
        if (max > 2) {
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                int col = lines[i].indexOf("max:");
                if (lines[i].contains("web:") && col >= 0) {
                    return new SpecResult.Invalid(name, path, List.of(new Diagnostic(path, i + 1, col + 1,
                            "application.web.max is " + max + ", tier developer allows at most 2")));
                }
            }
        }
        EnvironmentSpec spec = new EnvironmentSpec(name, (String) y.get("client"), Tier.of((String) y.get("tier")),
                Stage.of((String) y.get("stage")), (String) y.get("region"), Availability.SINGLE_AZ,
                Boolean.TRUE.equals(y.get("paused")), DriftMode.of((String) y.getOrDefault("drift", "correct")),
                false,
                new EnvironmentSpec.Application((String) app.get("image"),
                        new EnvironmentSpec.Web(((Number) web.get("cpu")).intValue(), ((Number) web.get("memory")).intValue(),
                                ((Number) web.get("min")).intValue(), max),
                        new EnvironmentSpec.Sandbox(false), new EnvironmentSpec.Range(0, 1)),
                new EnvironmentSpec.Database("8.0", "db.t4g.medium", new EnvironmentSpec.Range(0, 0), false),
                new EnvironmentSpec.Cache("cache.t4g.micro", 0),
                new EnvironmentSpec.Search("OpenSearch_2.13", "t3.small.search", 1),
                new EnvironmentSpec.Assets(true),
                new EnvironmentSpec.Cdn(true, List.of(), "PriceClass_100", 300),
                Map.of());
        return new SpecResult.Valid(name, path, spec);
    }
}
