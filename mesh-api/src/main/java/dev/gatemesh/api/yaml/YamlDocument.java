package dev.gatemesh.api.yaml;

/** One document of a multi-document YAML file, with the line it starts on. */
public record YamlDocument(YamlNode root, int line) {
}
