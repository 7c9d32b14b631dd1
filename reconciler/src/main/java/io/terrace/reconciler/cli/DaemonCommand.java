package io.terrace.reconciler.cli;

import io.terrace.planner.PlanOptions;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.aws.LeaseTable;
import io.terrace.reconciler.aws.DetailReads;
import io.terrace.reconciler.aws.ecs.TaskDefinitionCache;
import io.terrace.reconciler.cluster.ClusterOptions;
import io.terrace.reconciler.daemon.AccountLease;
import io.terrace.reconciler.daemon.ApplyLease;
import io.terrace.reconciler.daemon.Daemon;
import io.terrace.reconciler.daemon.DaemonConfig;
import io.terrace.reconciler.daemon.PlanFunction;
import io.terrace.reconciler.daemon.RegionalAws;
import io.terrace.reconciler.daemon.RepositoryState;
import io.terrace.reconciler.git.GitSource;
import io.terrace.reconciler.git.SnapshotReader;
import io.terrace.reconciler.git.SshOptions;
import io.terrace.reconciler.github.PullRequestWebhook;
import io.terrace.reconciler.history.HistoryRetention;
import io.terrace.reconciler.http.ApiToken;
import io.terrace.reconciler.http.HttpApi;
import io.terrace.reconciler.logging.LogEncoder;
import io.terrace.reconciler.logging.LogFormat;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code terrace daemon}: the continuous reconciler. Runs until SIGTERM or Ctrl-C, then stops
 * cleanly: no new passes, running applies end after their current wave, history closed.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run the continuous reconciler: watch the spec repository, reconcile the environments "
                + "whose files change, sweep every environment for drift, serve status over HTTP.",
                "",
                "Stops cleanly on SIGTERM or Ctrl-C: running applies finish their current wave; the next start "
                + "converges from live state."},
        footer = {"", "Environment:",
                "  TERRACE_GIT_TOKEN       token for an HTTPS --repo",
                "  TERRACE_GIT_USERNAME    user name sent with it (default: x-access-token)",
                "  TERRACE_SSH_KEY_FILE    private key for an SSH --repo, as --ssh-key",
                "  TERRACE_SSH_KNOWN_HOSTS known_hosts file, as --ssh-known-hosts",
                "  TERRACE_SSH_KEY_PASSPHRASE  passphrase of that key, if it has one",
                "  TERRACE_WEBHOOK_SECRET  secret of the GitHub webhook at /hooks/github (push, pull_request)",
                "  GITHUB_TOKEN            with it, pull_request deliveries get a plan comment (docs/pull-requests.md)",
                "  GITHUB_API_URL          GitHub API root (default: https://api.github.com)",
                "  TERRACE_DB_PASSWORD     password of the --cluster database (wins over one in the URL)",
                "  TERRACE_NOTIFY_URL      chat webhook for notifications, as --notify",
                "  TERRACE_API_TOKEN       bearer token (named api) for /api/* and the dashboard, unless --api-token-file is given",
                "  AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID, ...  the AWS SDK's default chain",
                "", "See docs/operations.md."})
final class DaemonCommand implements Callable<Integer> {

    @Option(names = "--repo", required = true, paramLabel = "URL|PATH",
            description = "Spec repository: a local path or a git URL (https://…, ssh://…, git@host:org/repo.git, "
                    + "file://…).")
    String repo;

    @Option(names = "--ssh-key", paramLabel = "FILE",
            description = "Private key (OpenSSH or PEM) for an SSH --repo, e.g. a read-only deploy key "
                    + "(default: the standard keys in ~/.ssh).")
    Optional<Path> sshKey;

    @Option(names = "--ssh-known-hosts", paramLabel = "FILE",
            description = "The known_hosts file that vouches for the SSH server's host key; an unknown or changed key "
                    + "is refused (default: ~/.ssh/known_hosts). Write it with ssh-keyscan HOST > FILE.")
    Optional<Path> sshKnownHosts;

    @Option(names = "--notify", paramLabel = "URL",
            description = "Post to this chat webhook (Slack, Mattermost: JSON with a text line) when an apply changes "
                    + "something and when an environment turns failed, drifted, blocked or invalid, or recovers. "
                    + "TERRACE_NOTIFY_URL works too; the URL is never logged.")
    Optional<String> notify;

    @Option(names = "--branch", defaultValue = "main", description = "Branch to follow (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(names = "--poll", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Fetch interval (default: ${DEFAULT-VALUE}); a push webhook fetches at once.")
    Duration poll;

    @Option(names = "--drift-interval", defaultValue = "5m", converter = DurationConverter.class,
            paramLabel = "DURATION", description = "Drift sweep interval, jittered by 10%% (default: ${DEFAULT-VALUE}).")
    Duration driftInterval;

    @Option(names = "--detail-interval", defaultValue = "1h", converter = DurationConverter.class,
            paramLabel = "DURATION", description = "How long drift sweeps keep rarely-changing details (key and "
            + "secret policies, bucket settings, DB parameters, topic attributes) before reading them again; "
            + "those not kept in the data folder are first read spread over one interval from the start; "
            + "0s reads them on every sweep (default: ${DEFAULT-VALUE}).")
    Duration detailInterval;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
            description = "HTTP address for the dashboard, API, metrics and webhook (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--data", defaultValue = ".terrace", paramLabel = "DIR",
            description = "Data folder: git copy, history database, drift reports (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every AWS call to this endpoint (a local emulator); AWS_ENDPOINT_URL works too.")
    Optional<URI> endpoint;

    @Option(names = "--threads", defaultValue = "4",
            description = "Environments reconciled at the same time (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--node-id", paramLabel = "ID",
            description = "Name of this daemon in history and logs (default: host name and process id).")
    Optional<String> nodeId;

    @Option(names = "--cluster", paramLabel = "JDBC-URL",
            description = "Share the environments with the other daemons on this PostgreSQL database "
                    + "(jdbc:postgresql://HOST[:PORT]/DB); the history goes there too.")
    Optional<String> cluster;

    @Option(names = "--cluster-checkin", defaultValue = "5s", converter = DurationConverter.class,
            paramLabel = "DURATION", description = "How often a cluster node checks in; a node silent for this "
                    + "plus 7.5 s is taken over (default: ${DEFAULT-VALUE}). The same on every node.")
    Duration clusterCheckin;

    @Option(names = "--history-retention", defaultValue = "30d", converter = HistoryRetentionConverter.class,
            paramLabel = "DURATION|forever", description = "Delete plan/apply history older than this after each "
                    + "drift sweep, keeping each environment's newest entries; forever keeps all (default: ${DEFAULT-VALUE}).")
    HistoryRetention historyRetention;

    @Option(names = "--origin-secret-max-age", defaultValue = "30d", converter = MaxAgeConverter.class,
            paramLabel = "DURATION|off", description = "Rotate an environment's origin secret (the header CloudFront "
                    + "sends its load balancer) once it is older than this, checked hourly, within the maintenance "
                    + "window and unless paused; 0 or off never rotates (default: ${DEFAULT-VALUE}).")
    Duration originSecretMaxAge;

    @Option(names = "--api-token-file", paramLabel = "FILE", description = "Require Authorization: Bearer <token> "
            + "on /api/* and the dashboard (a browser opens /?token=… once); /healthz, /readyz, /metrics stay open. "
            + "FILE is one token (named api), or lines NAME TOKEN or NAME: TOKEN (# comments; names "
            + "[a-z0-9][a-z0-9._-]{0,62}): the history records the name of the token that asked for a sync or "
            + "failover. Read at start: edit it and restart to rotate. TERRACE_API_TOKEN is one token named api.")
    Optional<Path> apiTokenFile;

    @Option(names = "--lease-ttl", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Without --cluster: how long the apply lease of each AWS account and region (DynamoDB table "
                    + LeaseTable.TABLE + ") outlives its last renewal; renewed every third of it, given up on a clean "
                    + "stop (default: ${DEFAULT-VALUE}).")
    Duration leaseTtl;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines as readable key=value "
            + "text or as one JSON object per line (timestamp, level, logger, message and the event's fields); "
            + LogFormat.ENV + " works too (default: text).")
    Optional<String> logFormat;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = environment();
        configureLogging(env);
        InetSocketAddress address = address(listen);
        String notifyUrl = env.getOrDefault("TERRACE_NOTIFY_URL", "");
        if (!notifyUrl.isBlank() && !notifyUrl.matches("https?://[^\\s]+")) {
            // Not echoed: a webhook URL is a secret.
            spec.commandLine().getErr().println("terrace daemon: --notify (TERRACE_NOTIFY_URL) must be an http:// or "
                    + "https:// URL");
            return TerraceCli.ERROR;
        }
        if (GitSource.isSsh(repo)) {
            Optional<String> problem = sshProblem(SshOptions.fromEnvironment(env, Path.of(System.getProperty("user.home"))));
            if (problem.isPresent()) {
                spec.commandLine().getErr().println("terrace daemon: " + problem.get());
                return TerraceCli.ERROR;
            }
        } else if (!repo.contains("://") && !Files.isDirectory(Path.of(repo))) {
            spec.commandLine().getErr().println("terrace daemon: --repo " + repo + ": no such directory");
            return TerraceCli.ERROR;
        }
        Optional<ApiToken> apiToken;
        try {
            apiToken = ApiToken.load(apiTokenFile, System.getenv());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("terrace daemon: " + e.getMessage());
            return TerraceCli.ERROR;
        }
        DaemonConfig defaults = DaemonConfig.defaults(repo, data);
        String node = nodeId.orElse(defaults.nodeId());
        Optional<ClusterOptions> clusterOptions;
        try {
            clusterOptions = cluster.map(url ->
                    ClusterOptions.parse(url, System.getenv(), clusterCheckin, node, threads));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("terrace daemon: " + e.getMessage());
            return TerraceCli.ERROR;
        }
        DaemonConfig config = new DaemonConfig(repo, branch, poll, driftInterval, address, data, node, threads,
                defaults.backoffBase(), defaults.backoffCap(), defaults.sweepJitter(), clusterOptions, historyRetention,
                Optional.of(originSecretMaxAge).filter(d -> !d.isZero()));
        if (leaseTtl.compareTo(Duration.ofSeconds(3)) < 0) {
            spec.commandLine().getErr().println("terrace daemon: --lease-ttl must be at least 3s");
            return TerraceCli.ERROR;
        }
        AwsCallCounter calls = new AwsCallCounter();
        // Task definitions never change once registered, and details are kept for their interval:
        // what was read survives a restart. Those not kept are first read spread over the interval.
        AwsRegions aws = new AwsRegions(endpoint, Optional.empty(), calls,
                TaskDefinitionCache.keptIn(data.resolve("task-definitions.jsonl")),
                DetailReads.keptIn(data.resolve("detail-reads.jsonl"), detailInterval, Clock.systemUTC())
                        .spreadingFirstReads());
        // A cluster keeps its nodes apart through PostgreSQL; a single daemon through a lease in AWS.
        Optional<AccountLease> lease = clusterOptions.isPresent() ? Optional.empty()
                : Optional.of(new AccountLease(region -> new LeaseTable(aws.clients(region).dynamoDb),
                        claimant(node), leaseTtl, Clock.systemUTC()).startRenewing());
        Daemon daemon;
        try {
            daemon = Daemon.start(config, repository -> engine(aws, repository, lease), Clock.systemUTC(),
                    Optional.of(calls), env);
        } catch (IllegalStateException | java.sql.SQLException e) {
            // The cluster database: unreachable, refused the credentials, or its schema cannot be made.
            lease.ifPresent(AccountLease::close);
            aws.close();
            spec.commandLine().getErr().println("terrace daemon: " + e.getMessage());
            return TerraceCli.ERROR;
        }
        HttpApi http;
        try {
            http = HttpApi.start(address, daemon, Optional.ofNullable(System.getenv(HttpApi.WEBHOOK_SECRET_ENV)),
                    PullRequestWebhook.fromEnvironment(System.getenv(), daemon.git(),
                            (specs, envs) -> aws.observe(specs, envs).state(), PlanOptions.DEFAULT), apiToken);
        } catch (java.io.IOException e) {
            daemon.close();
            lease.ifPresent(AccountLease::close);
            aws.close();
            spec.commandLine().getErr().println("terrace daemon: cannot listen on " + listen + ": " + e.getMessage());
            return TerraceCli.ERROR;
        }
        System.out.println("terrace daemon: dashboard at http://" + hostForUrl(address) + ":" + http.port() + "/");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            daemon.close();
            // After the daemon: its applies have ended, so another daemon may take over at once.
            lease.ifPresent(AccountLease::close);
            aws.close();
            stopped.countDown();
        }, "terrace-shutdown"));
        stopped.await();
        return TerraceCli.OK;
    }

    /** The process environment, with the SSH and notification flags in the place of their variables. */
    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        sshKey.ifPresent(key -> env.put(SshOptions.KEY_FILE_ENV, key.toString()));
        sshKnownHosts.ifPresent(file -> env.put(SshOptions.KNOWN_HOSTS_ENV, file.toString()));
        notify.ifPresent(url -> env.put("TERRACE_NOTIFY_URL", url));
        return env;
    }

    /**
     * A key or known_hosts file that is not there stops the start; what the server says about
     * them is only known at a fetch, and a failed fetch is retried at the next poll.
     */
    private Optional<String> sshProblem(SshOptions ssh) {
        if (ssh.keyFile().isPresent() && !Files.isReadable(ssh.keyFile().get())) {
            return Optional.of("ssh key " + ssh.keyFile().get() + " (--ssh-key, " + SshOptions.KEY_FILE_ENV
                    + ") does not exist or cannot be read");
        }
        if (!Files.isRegularFile(ssh.knownHosts())) {
            return Optional.of("known_hosts file " + ssh.knownHosts() + " does not exist: write the server's host key "
                    + "there first, e.g. ssh-keyscan HOST >> " + ssh.knownHosts() + " (--ssh-known-hosts, "
                    + SshOptions.KNOWN_HOSTS_ENV + "; docs/operations.md)");
        }
        return Optional.empty();
    }

    /**
     * The AWS side (each environment in its spec's region, or where it is found live), the planner,
     * specs from git, and the apply lease of the region each plan names.
     */
    private static Daemon.Engine engine(AwsRegions aws, RepositoryState repository, Optional<AccountLease> lease) {
        RegionalAws regional = new RegionalAws(aws, repository);
        return new Daemon.Engine(regional, regional, PlanFunction.planner(PlanOptions.DEFAULT), SnapshotReader.SPECS,
                regional::discover, lease.map(AccountLease::forPlans).orElse(ApplyLease.UNCONTESTED), regional::failover,
                regional);
    }

    /**
     * This daemon as a lease holder: its node id and data folder (two daemons never share a data
     * folder: its history database is locked), so that a daemon restarted after a crash with the
     * same {@code --node-id} and {@code --data} takes its own lease back at once. Shown by its node
     * id and the repository (without credentials) and branch it follows.
     */
    private LeaseTable.Claimant claimant(String node) {
        String owner = node + " " + data.toAbsolutePath().normalize();
        return new LeaseTable.Claimant(owner, node, repo.replaceAll("//[^/@]*@", "//") + " " + branch);
    }

    private InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            if (colon < 0) {
                throw new NumberFormatException();
            }
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--listen " + hostPort + ": write it as HOST:PORT, e.g. 127.0.0.1:8080");
        }
    }

    private static String hostForUrl(InetSocketAddress a) {
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Text or JSON lines (the levels of chatty libraries are set in {@code logback.xml}). */
    private void configureLogging(Map<String, String> env) {
        try {
            LogEncoder.use(logFormat.isPresent() ? LogFormat.parse(logFormat.get()) : LogFormat.fromEnvironment(env));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
