package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.DeploymentPlan;
import io.vertable.shared.VerticleName;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DeploymentPlanTest {

    @Test
    void parsesTheEnvironmentFormAndPrintsItBack() {
        DeploymentPlan plan = DeploymentPlan.parse(" http:2, bridge:4 ,dice ", "VTT_DEPLOY");
        assertThat(plan.instancesOf(VerticleName.HTTP)).isEqualTo(2);
        assertThat(plan.instancesOf(VerticleName.BRIDGE)).isEqualTo(4);
        assertThat(plan.instancesOf(VerticleName.DICE)).isEqualTo(1); // a bare name means one instance
        assertThat(plan.instancesOf(VerticleName.MAP)).isZero();
        assertThat(plan).hasToString("http:2,bridge:4,dice:1");
        assertThat(DeploymentPlan.parse(plan.toString(), "round trip")).isEqualTo(plan);
    }

    @Test
    void jsonFormRoundTrips() {
        DeploymentPlan plan =
                DeploymentPlan.fromJson(new JsonObject().put("map", 3).put("chat", 0), "deploy");
        assertThat(plan.toJson().getInteger("map")).isEqualTo(3);
        assertThat(plan.runs(VerticleName.CHAT)).isFalse();
        assertThat(DeploymentPlan.fromJson(plan.toJson(), "deploy")).isEqualTo(plan);
    }
}
