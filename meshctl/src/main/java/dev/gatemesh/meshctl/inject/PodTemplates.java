package dev.gatemesh.meshctl.inject;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds whose pods {@code meshctl inject} injects, and where each keeps its pod: the object itself (a Pod), its
 * {@code spec.template}, or a CronJob's {@code spec.jobTemplate.spec.template}.
 */
enum PodTemplates {
    POD("v1", "Pod", Pod.class, ""),
    DEPLOYMENT("apps/v1", "Deployment", Deployment.class, "spec.template."),
    STATEFUL_SET("apps/v1", "StatefulSet", StatefulSet.class, "spec.template."),
    DAEMON_SET("apps/v1", "DaemonSet", DaemonSet.class, "spec.template."),
    REPLICA_SET("apps/v1", "ReplicaSet", ReplicaSet.class, "spec.template."),
    JOB("batch/v1", "Job", Job.class, "spec.template."),
    CRON_JOB("batch/v1", "CronJob", CronJob.class, "spec.jobTemplate.spec.template.");

    private static final Map<String, PodTemplates> BY_KIND = Map.of("Pod", POD, "Deployment", DEPLOYMENT,
            "StatefulSet", STATEFUL_SET, "DaemonSet", DAEMON_SET, "ReplicaSet", REPLICA_SET, "Job", JOB, "CronJob", CRON_JOB);

    private final String apiVersion;
    private final String kind;
    private final Class<? extends HasMetadata> type;
    /** The pod's place in the object, as a field-path prefix of messages. */
    private final String podPath;

    PodTemplates(String apiVersion, String kind, Class<? extends HasMetadata> type, String podPath) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.type = type;
        this.podPath = podPath;
    }

    static Optional<PodTemplates> of(String apiVersion, String kind) {
        PodTemplates found = kind == null ? null : BY_KIND.get(kind);
        return found != null && found.apiVersion.equals(apiVersion) ? Optional.of(found) : Optional.empty();
    }

    /** The workload kind of this name whatever its apiVersion (to tell the user which apiVersion is read). */
    static Optional<PodTemplates> ofKind(String kind) {
        return Optional.ofNullable(kind == null ? null : BY_KIND.get(kind));
    }

    String apiVersion() {
        return apiVersion;
    }

    Class<? extends HasMetadata> type() {
        return type;
    }

    String podPath() {
        return podPath;
    }

    /** The pod the object would create (a template as a Pod), or null when the object has none. */
    Pod pod(HasMetadata object) {
        if (this == POD) {
            return (Pod) object;
        }
        PodTemplateSpec template = template(object);
        return template == null ? null : new Pod("v1", "Pod", template.getMetadata(), template.getSpec(), null);
    }

    /** Puts the injected pod back where it came from. */
    void replacePod(HasMetadata object, Pod pod) {
        if (this == POD) {
            Pod target = (Pod) object;
            target.setMetadata(pod.getMetadata());
            target.setSpec(pod.getSpec());
            return;
        }
        PodTemplateSpec template = template(object);
        template.setMetadata(pod.getMetadata());
        template.setSpec(pod.getSpec());
    }

    private PodTemplateSpec template(HasMetadata object) {
        return switch (this) {
            case POD -> null;
            case DEPLOYMENT -> ((Deployment) object).getSpec() == null ? null : ((Deployment) object).getSpec().getTemplate();
            case STATEFUL_SET -> ((StatefulSet) object).getSpec() == null ? null : ((StatefulSet) object).getSpec().getTemplate();
            case DAEMON_SET -> ((DaemonSet) object).getSpec() == null ? null : ((DaemonSet) object).getSpec().getTemplate();
            case REPLICA_SET -> ((ReplicaSet) object).getSpec() == null ? null : ((ReplicaSet) object).getSpec().getTemplate();
            case JOB -> ((Job) object).getSpec() == null ? null : ((Job) object).getSpec().getTemplate();
            case CRON_JOB -> {
                CronJob cronJob = (CronJob) object;
                yield cronJob.getSpec() == null || cronJob.getSpec().getJobTemplate() == null
                        || cronJob.getSpec().getJobTemplate().getSpec() == null ? null
                        : cronJob.getSpec().getJobTemplate().getSpec().getTemplate();
            }
        };
    }
}
