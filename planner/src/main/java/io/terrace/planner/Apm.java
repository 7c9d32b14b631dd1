package io.terrace.planner;

import java.util.List;

/**
 * The optional APM collector ({@code application.apm: true}): an AWS Distro for OpenTelemetry
 * collector running beside the web container, receiving OTLP traces on the task's loopback
 * interface and exporting them to X-Ray. docs/aws.md explains the choices.
 */
public final class Apm {

    /** The sidecar container's name. */
    public static final String CONTAINER = "aws-otel-collector";
    /** The collector image, pinned: a new version is a deliberate change of this line. */
    public static final String IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0";
    /**
     * The collector's share of the task: a CPU reservation of 64 units and a memory reservation of
     * 128 MiB with a hard limit of 256 MiB; the web container keeps the rest of the task size
     * (it has no container-level limits), so the spec's {@code web.cpu} and {@code web.memory} stay
     * the task's size and the smallest one (256/512) still fits.
     */
    public static final int CPU = 64;
    public static final int MEMORY_RESERVATION = 128;
    public static final int MEMORY = 256;
    /** The collector writes nothing but temporary files; its root filesystem is read-only. */
    public static final List<String> WRITABLE_PATHS = List.of("/tmp");
    /** The awslogs stream prefix of the collector's output, in the web component's log group. */
    public static final String LOG_STREAM_PREFIX = "apm";
    /** Where the application sends traces (OTLP over gRPC). */
    public static final String ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public static final String ENDPOINT = "http://localhost:4317";
    /** The environment variable the collector reads its configuration from. */
    public static final String CONFIG_VARIABLE = "AOT_CONFIG_CONTENT";
    /** The AWS-managed policy the web task role gets: write segments and read sampling rules. */
    public static final String XRAY_POLICY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess";

    private Apm() {}

    /** How {@link AttributeKeys.EcsTask#SIDECARS} names the collector. */
    public static String sidecar() {
        return CONTAINER + " " + IMAGE;
    }

    /**
     * The collector's configuration: traces only, received on loopback (tasks are in awsvpc mode,
     * so the containers share it and nothing outside the task can send), batched, exported to
     * X-Ray in the environment's region.
     */
    public static String config(String region) {
        return String.join("\n",
                "receivers:",
                "  otlp:",
                "    protocols:",
                "      grpc:",
                "        endpoint: 127.0.0.1:4317",
                "      http:",
                "        endpoint: 127.0.0.1:4318",
                "processors:",
                "  batch/traces:",
                "    timeout: 1s",
                "    send_batch_size: 50",
                "exporters:",
                "  awsxray:",
                "    region: " + region,
                "service:",
                "  pipelines:",
                "    traces:",
                "      receivers: [otlp]",
                "      processors: [batch/traces]",
                "      exporters: [awsxray]",
                "");
    }
}
