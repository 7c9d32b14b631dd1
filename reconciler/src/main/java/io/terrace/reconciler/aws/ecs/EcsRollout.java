package io.terrace.reconciler.aws.ecs;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.Rollout;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * An ECS deployment followed to a steady state. The deployment followed is the one a
 * {@code CreateService} or {@code UpdateService} answer names PRIMARY: it is done when it is still
 * the primary one, the service still runs the task definition that answer named, its
 * {@code rolloutState} is {@code COMPLETED} (or, for a deployment without one, its running count
 * equals its desired count and no other deployment is left), and, for a service behind the load
 * balancer, every target of its target group that is not draining is healthy. A deployment the
 * circuit breaker failed is reported as rolled back.
 */
public final class EcsRollout {

    private EcsRollout() {}

    /**
     * Waits, through the context's rollout wait, until the deployment {@code started} made primary
     * is steady; one {@code DescribeServices} per poll, and one {@code DescribeTargetHealth} once
     * the deployment is complete when the service is load-balanced. Returns the service as last read.
     */
    static Service await(AwsClients aws, DriverContext context, String cluster, Service started) {
        String name = started.serviceName();
        String deployment = primary(started).map(Deployment::id).orElse(null);
        String taskDefinition = started.taskDefinition();
        Service[] last = {started};
        context.awaitRollout(name, () -> {
            Service s = EcsResources.describeService(aws, cluster, name)
                    .orElseThrow(() -> new IllegalStateException("ECS service " + name + " disappeared"));
            last[0] = s;
            Rollout r = of(s, deployment, taskDefinition);
            return r instanceof Rollout.Done && !s.loadBalancers().isEmpty() ? targets(aws, s) : r;
        });
        return last[0];
    }

    /** Where the deployment {@code deploymentId} of {@code taskDefinition} stands in {@code s}. */
    public static Rollout of(Service s, String deploymentId, String taskDefinition) {
        String event = newestEvent(s);
        if (!"ACTIVE".equals(s.status())) {
            return new Rollout.Failed("the service is " + s.status() + suffix(event));
        }
        List<Deployment> deployments = s.deployments();
        if (deploymentId == null) {
            // No deployment to follow (a deployment controller other than ECS's): counts only.
            return deployments.size() <= 1 && Objects.equals(s.runningCount(), s.desiredCount())
                    ? Rollout.DONE : new Rollout.InProgress(tasks(s.runningCount(), s.desiredCount()), event);
        }
        Optional<Deployment> primary = primary(s);
        Optional<Deployment> ours = deployments.stream().filter(d -> deploymentId.equals(d.id())).findFirst();
        if (ours.isPresent() && ours.get().rolloutState() == DeploymentRolloutState.FAILED) {
            String reason = Optional.ofNullable(ours.get().rolloutStateReason()).filter(r -> !r.isBlank()).orElse(event);
            boolean rolledBack = primary.filter(p -> !deploymentId.equals(p.id())).isPresent();
            return new Rollout.Failed((rolledBack ? "deployment rolled back: " : "deployment failed: ") + reason);
        }
        if (ours.isEmpty() || !"PRIMARY".equals(ours.get().status())) {
            return new Rollout.Failed("deployment " + deploymentId + " was replaced by "
                    + primary.map(p -> p.id() + " of " + p.taskDefinition()).orElse("another") + suffix(event));
        }
        if (taskDefinition != null && !taskDefinition.equals(s.taskDefinition())) {
            return new Rollout.Failed("the service was moved to " + s.taskDefinition() + " instead of " + taskDefinition
                    + suffix(event));
        }
        Deployment d = ours.get();
        boolean steady = d.rolloutState() == DeploymentRolloutState.COMPLETED
                || d.rolloutState() == null && deployments.size() == 1
                        && Objects.equals(d.runningCount(), d.desiredCount());
        if (steady) {
            return Rollout.DONE;
        }
        int older = deployments.size() - 1;
        return new Rollout.InProgress(tasks(d.runningCount(), d.desiredCount())
                + (older > 0 ? ", " + older + " older deployment" + (older > 1 ? "s" : "") + " still running" : ""),
                event);
    }

    /**
     * Done when every target of the service's target group that is not draining is healthy. No
     * target at all is taken as done: a service at zero tasks has none, and an emulator that runs
     * no task never registers any.
     */
    static Rollout targets(AwsClients aws, Service s) {
        String targetGroup = s.loadBalancers().get(0).targetGroupArn();
        List<TargetHealthDescription> serving = aws.elb.describeTargetHealth(r -> r.targetGroupArn(targetGroup))
                .targetHealthDescriptions().stream()
                .filter(t -> t.targetHealth().state() != TargetHealthStateEnum.DRAINING)
                .toList();
        List<TargetHealthDescription> unhealthy = serving.stream()
                .filter(t -> t.targetHealth().state() != TargetHealthStateEnum.HEALTHY
                        && t.targetHealth().state() != TargetHealthStateEnum.UNAVAILABLE)
                .toList();
        if (unhealthy.isEmpty()) {
            return Rollout.DONE;
        }
        TargetHealthDescription first = unhealthy.get(0);
        String why = Optional.ofNullable(first.targetHealth().description())
                .or(() -> Optional.ofNullable(first.targetHealth().reasonAsString()))
                .orElse(first.targetHealth().stateAsString());
        return new Rollout.InProgress((serving.size() - unhealthy.size()) + " of " + serving.size()
                + " targets healthy (" + first.target().id() + ": " + why + ")", newestEvent(s));
    }

    private static Optional<Deployment> primary(Service s) {
        return s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst();
    }

    /** ECS lists a service's events newest first. */
    private static String newestEvent(Service s) {
        return s.events().stream().findFirst().map(ServiceEvent::message).orElse("");
    }

    private static String tasks(Integer running, Integer desired) {
        int d = desired == null ? 0 : desired;
        return (running == null ? 0 : running) + " of " + d + (d == 1 ? " task" : " tasks") + " running";
    }

    private static String suffix(String event) {
        return event.isBlank() ? "" : "; last event: " + event;
    }
}
