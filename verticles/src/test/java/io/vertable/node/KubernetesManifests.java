package io.vertable.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every YAML document under {@code k8s/}, parsed strictly into the fabric8 Kubernetes model: a field the API does not
 * have, a value of the wrong type or an apiVersion/kind these checks do not know fails with the file, the document and
 * the field path, as the API server would refuse it at {@code kubectl apply} time.
 */
final class KubernetesManifests {

    /** The folder, relative to the repository root. */
    static final String FOLDER = "k8s";

    static final String KUSTOMIZATION = "kustomization.yaml";

    /** apiVersion/kind → model class. Only these kinds may appear; each has its checks in KubernetesManifestsTest. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = kinds(
            Namespace.class,
            ConfigMap.class,
            Secret.class,
            Service.class,
            Deployment.class,
            StatefulSet.class,
            Ingress.class,
            HorizontalPodAutoscaler.class,
            PodDisruptionBudget.class,
            PersistentVolumeClaim.class);

    /** Keys a kustomization here may use; anything else (a generator, a patch) needs checks of its own first. */
    static final List<String> KUSTOMIZATION_KEYS = List.of("apiVersion", "kind", "resources", "images");

    /** A refused manifest: the message names the file, the document and the field. */
    static final class ManifestException extends RuntimeException {
        ManifestException(String message) {
            super(message);
        }
    }

    /** One parsed object and where it came from. */
    record Doc(String file, int document, HasMetadata object) {

        String kind() {
            return object.getKind();
        }

        String name() {
            return object.getMetadata().getName();
        }

        String namespace() {
            return object.getMetadata().getNamespace();
        }

        /** "k8s/edge.yaml: Deployment vertable-edge" — the prefix of every message about this object. */
        String where() {
            return file + ": " + kind() + " " + name();
        }
    }

    /** A Deployment or StatefulSet: what owns pods. */
    record Workload(Doc doc, Integer replicas, PodTemplateSpec template) {

        Map<String, String> podLabels() {
            Map<String, String> labels = template.getMetadata() == null
                    ? null
                    : template.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        }
    }

    private static final YAMLMapper MAPPER = strictMapper();

    /** Keys "apiVersion/kind" from the model's own group and version annotations, in the order given. */
    @SafeVarargs
    private static Map<String, Class<? extends HasMetadata>> kinds(Class<? extends HasMetadata>... types) {
        Map<String, Class<? extends HasMetadata>> kinds = new LinkedHashMap<>();
        for (Class<? extends HasMetadata> type : types)
            kinds.put(HasMetadata.getApiVersion(type) + "/" + HasMetadata.getKind(type), type);
        return java.util.Collections.unmodifiableMap(kinds);
    }

    final Path root;
    final List<Doc> docs;
    /** The YAML files of the folder (kustomization excluded), by file name. */
    final List<String> files;

    final Map<String, Object> kustomization;

    private KubernetesManifests(Path root, List<Doc> docs, List<String> files, Map<String, Object> kustomization) {
        this.root = root;
        this.docs = docs;
        this.files = files;
        this.kustomization = kustomization;
    }

    /** Parses every YAML file of {@code <root>/k8s}. */
    static KubernetesManifests load(Path root) {
        Path folder = root.resolve(FOLDER);
        List<String> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .filter(n -> !n.equals(KUSTOMIZATION))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Doc> docs = new ArrayList<>();
        for (String file : files) docs.addAll(parseFile(folder.resolve(file), FOLDER + "/" + file));
        return new KubernetesManifests(root, docs, files, readKustomization(folder));
    }

    /** Parses one file; every document must be a Kubernetes object of a known kind. */
    static List<Doc> parseFile(Path path, String file) {
        String text = read(path);
        List<JsonNode> trees;
        try {
            trees = MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll();
        } catch (IOException e) {
            throw new ManifestException(file + ": not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        List<Doc> docs = new ArrayList<>();
        int number = 0;
        for (JsonNode tree : trees) {
            number++;
            if (tree == null || tree.isNull() || tree.isMissingNode()) continue;
            docs.add(new Doc(file, number, parseDocument(tree, file + " (document " + number + ")")));
        }
        if (docs.isEmpty()) throw new ManifestException(file + ": holds no Kubernetes object");
        return docs;
    }

    private static HasMetadata parseDocument(JsonNode tree, String where) {
        if (!tree.isObject()) throw new ManifestException(where + ": not a mapping");
        String apiVersion = tree.path("apiVersion").asText("");
        String kind = tree.path("kind").asText("");
        Class<? extends HasMetadata> type = KINDS.get(apiVersion + "/" + kind);
        if (type == null) {
            throw new ManifestException(where + ": apiVersion '" + apiVersion + "' kind '" + kind
                    + "' is not one these checks know (" + String.join(", ", KINDS.keySet()) + ")");
        }
        String named =
                where + ", " + kind + " " + tree.path("metadata").path("name").asText("?");
        HasMetadata object;
        try {
            object = MAPPER.readerFor(type).readValue(tree);
        } catch (UnrecognizedPropertyException e) {
            throw new ManifestException(named + ": unknown field " + path(e) + " (" + kind + " has no such field)");
        } catch (JsonMappingException e) {
            throw new ManifestException(named + ": " + path(e) + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ManifestException(named + ": " + firstLine(e.getMessage()));
        }
        if (object.getMetadata() == null || object.getMetadata().getName() == null) {
            throw new ManifestException(named + ": metadata.name is missing");
        }
        return object;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readKustomization(Path folder) {
        Path path = folder.resolve(KUSTOMIZATION);
        String file = FOLDER + "/" + KUSTOMIZATION;
        if (!Files.isRegularFile(path)) throw new ManifestException(file + ": missing");
        Map<String, Object> map;
        try {
            map = MAPPER.readValue(read(path), LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new ManifestException(file + ": not valid YAML (" + firstLine(e.getOriginalMessage()) + ")");
        }
        for (String key : map.keySet()) {
            if (!KUSTOMIZATION_KEYS.contains(key)) {
                throw new ManifestException(file + ": unknown field " + key + " (these checks know "
                        + String.join(", ", KUSTOMIZATION_KEYS) + ")");
            }
        }
        return map;
    }

    /** The JSON path of a mapping failure: spec.template.spec.containers[0].ports. */
    private static String path(JsonMappingException e) {
        var path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(document)" : path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int cut = message.indexOf('\n');
        return (cut < 0 ? message : message.substring(0, cut)).trim();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Jackson as strict as the API server: the model's catch-all "additionalProperties" is switched off so an unknown
     * field is an error, duplicate keys are refused, and scalars keep their YAML type (replicas: "2" or an env value
     * 8080 would be refused by the server, so they are refused here).
     */
    private static YAMLMapper strictMapper() {
        var noCatchAll = new SimpleModule("strict-kubernetes-model");
        noCatchAll.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(
                    DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
                if (description.getBeanClass().getName().startsWith("io.fabric8.")) builder.setAnySetter(null);
                return builder;
            }
        });
        YAMLMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(noCatchAll)
                .build();
        for (CoercionInputShape shape :
                List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return mapper;
    }

    // ---- lookups ----

    <T extends HasMetadata> List<Doc> all(Class<T> type) {
        return docs.stream().filter(d -> type.isInstance(d.object())).toList();
    }

    <T extends HasMetadata> Optional<Doc> find(Class<T> type, String namespace, String name) {
        return all(type).stream()
                .filter(d -> d.name().equals(name) && java.util.Objects.equals(d.namespace(), namespace))
                .findFirst();
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T as(Doc doc, Class<T> type) {
        return (T) doc.object();
    }

    List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        for (Doc doc : docs) {
            if (doc.object() instanceof Deployment d) {
                workloads.add(
                        new Workload(doc, d.getSpec().getReplicas(), d.getSpec().getTemplate()));
            } else if (doc.object() instanceof StatefulSet s) {
                workloads.add(
                        new Workload(doc, s.getSpec().getReplicas(), s.getSpec().getTemplate()));
            }
        }
        return workloads;
    }

    /** The value of a Secret's key, from stringData or (base64) data; empty when the key does not exist. */
    static Optional<String> secretValue(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return Optional.of(secret.getStringData().get(key));
        }
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return Optional.of(
                    new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    /** Every key of a Secret with its value. */
    static Map<String, String> secretValues(Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null)
            secret.getData()
                    .keySet()
                    .forEach(k -> values.put(k, secretValue(secret, k).get()));
        if (secret.getStringData() != null) values.putAll(secret.getStringData());
        return values;
    }

    String readRepositoryFile(String relative) {
        return read(root.resolve(relative));
    }
}
