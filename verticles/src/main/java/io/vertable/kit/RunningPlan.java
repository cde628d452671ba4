package io.vertable.kit;

import io.vertable.shared.VerticleName;
import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The plan a node runs right now: the configured plan at start, then whatever live rescales made of it. Readiness and
 * the cluster view report this one, so an operator sees what runs, not what was once asked for.
 */
public final class RunningPlan {

    private final AtomicReference<DeploymentPlan> current;

    public RunningPlan(DeploymentPlan started) {
        this.current = new AtomicReference<>(started);
    }

    public DeploymentPlan current() {
        return current.get();
    }

    public void set(VerticleName verticle, int instances) {
        current.updateAndGet(plan -> {
            var counts = new EnumMap<>(plan.instances());
            counts.put(verticle, instances);
            return new DeploymentPlan(counts);
        });
    }
}
