package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.ecs.EcsRollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.reconciler.engine.Rollout;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

/**
 * How a DescribeServices answer reads as a rollout, for the states moto cannot produce (a
 * circuit-breaker rollback, a deployment replaced, events): the answers are the SDK's own model
 * objects, shaped as ECS documents them.
 */
class EcsRolloutTest {

    private static final String OLD = "arn:aws:ecs:eu-west-1:123456789012:task-definition/terrace-acme-web:3";
    private static final String NEW = "arn:aws:ecs:eu-west-1:123456789012:task-definition/terrace-acme-web:4";

    private static Deployment deployment(String id, String status, String taskDefinition,
            DeploymentRolloutState state, int running, int desired, String reason) {
        return Deployment.builder().id(id).status(status).taskDefinition(taskDefinition).rolloutState(state)
                .rolloutStateReason(reason).runningCount(running).desiredCount(desired).build();
    }

    private static Service service(String taskDefinition, List<Deployment> deployments, String... events) {
        return Service.builder().serviceName("web").status("ACTIVE").taskDefinition(taskDefinition)
                .runningCount(2).desiredCount(2).deployments(deployments)
                .events(java.util.Arrays.stream(events).map(m -> ServiceEvent.builder().message(m).build()).toList())
                .build();
    }

    @Test
    void aCompletedPrimaryDeploymentOfTheDesiredRevisionIsDone() {
        Service s = service(NEW, List.of(deployment("ecs-svc/2", "PRIMARY", NEW, DeploymentRolloutState.COMPLETED, 2, 2,
                "ECS deployment ecs-svc/2 completed.")));
        assertEquals(Rollout.DONE, EcsRollout.of(s, "ecs-svc/2", NEW));
    }

    @Test
    void aDeploymentUnderWaySaysHowManyTasksRunAndTheNewestEvent() {
        Service s = service(NEW, List.of(
                deployment("ecs-svc/2", "PRIMARY", NEW, DeploymentRolloutState.IN_PROGRESS, 1, 2, "in progress"),
                deployment("ecs-svc/1", "ACTIVE", OLD, DeploymentRolloutState.COMPLETED, 2, 2, "")),
                "(service web) has started 1 tasks: (task 9f2).", "(service web) has reached a steady state.");
        assertEquals(new Rollout.InProgress("1 of 2 tasks running, 1 older deployment still running",
                "(service web) has started 1 tasks: (task 9f2)."), EcsRollout.of(s, "ecs-svc/2", NEW));
    }

    @Test
    void aDeploymentTheCircuitBreakerFailedIsReportedAsRolledBack() {
        Service s = service(OLD, List.of(
                deployment("ecs-svc/3", "PRIMARY", OLD, DeploymentRolloutState.IN_PROGRESS, 0, 2, "rolling back"),
                deployment("ecs-svc/2", "ACTIVE", NEW, DeploymentRolloutState.FAILED, 0, 2,
                        "ECS deployment circuit breaker: tasks failed to start.")));
        assertEquals(new Rollout.Failed("deployment rolled back: ECS deployment circuit breaker: tasks failed to start."),
                EcsRollout.of(s, "ecs-svc/2", NEW));
    }

    @Test
    void aDeploymentGoneFromTheListWasReplaced() {
        Service s = service(OLD, List.of(
                deployment("ecs-svc/3", "PRIMARY", OLD, DeploymentRolloutState.COMPLETED, 2, 2, "")),
                "(service web) rolling back to deployment ecs-svc/1.");
        assertEquals(new Rollout.Failed("deployment ecs-svc/2 was replaced by ecs-svc/3 of " + OLD
                + "; last event: (service web) rolling back to deployment ecs-svc/1."), EcsRollout.of(s, "ecs-svc/2", NEW));
    }

    @Test
    void withoutARolloutStateOneDeploymentRunningItsDesiredCountIsDone() {
        Service steady = service(NEW, List.of(deployment("ecs-svc/2", "PRIMARY", NEW, null, 2, 2, null)));
        Service starting = service(NEW, List.of(deployment("ecs-svc/2", "PRIMARY", NEW, null, 0, 1, null)));
        assertEquals(Rollout.DONE, EcsRollout.of(steady, "ecs-svc/2", NEW));
        assertEquals(new Rollout.InProgress("0 of 1 task running", ""), EcsRollout.of(starting, "ecs-svc/2", NEW));
    }

    @Test
    void aServiceMovedToAnotherRevisionMeanwhileFails() {
        Service s = service(OLD, List.of(deployment("ecs-svc/2", "PRIMARY", NEW, DeploymentRolloutState.COMPLETED, 2, 2, "")));
        assertEquals(new Rollout.Failed("the service was moved to " + OLD + " instead of " + NEW),
                EcsRollout.of(s, "ecs-svc/2", NEW));
    }

    @Test
    void aServiceBeingDeletedWillNotSettle() {
        Service s = service(NEW, List.of()).toBuilder().status("DRAINING").build();
        assertEquals(new Rollout.Failed("the service is DRAINING"), EcsRollout.of(s, "ecs-svc/2", NEW));
    }
}
