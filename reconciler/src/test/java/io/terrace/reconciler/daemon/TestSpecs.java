package io.terrace.reconciler.daemon;

/** Spec files for the daemon tests: small developer-tier environments with schema defaults. */
public final class TestSpecs {

    private TestSpecs() {}

    public static String path(String name) {
        return "environments/" + name + ".yaml";
    }

    /** A valid environment running image tag {@code tag}, with extra top-level lines. */
    public static String environment(String name, String tag, String... extra) {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: terrace/v1\n");
        y.append("kind: Environment\n");
        y.append("name: ").append(name).append('\n');
        y.append("client: acme\n");
        y.append("tier: developer\n");
        y.append("stage: development\n");
        y.append("region: eu-west-1\n");
        for (String line : extra) {
            y.append(line).append('\n');
        }
        y.append("application:\n");
        y.append("  image: registry.example.com/acme/app:").append(tag).append('\n');
        y.append("  web: { cpu: 256, memory: 512, min: 1, max: 2 }\n");
        return y.toString();
    }

    /** A spec the developer tier refuses: web.max 50 where 2 is the limit (line 10). */
    static String invalid(String name) {
        return environment(name, "1.0.0").replace("min: 1, max: 2", "min: 1, max: 50");
    }
}
