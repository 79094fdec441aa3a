package dev.lanyard.idp.portability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.lanyard.idp.yaml.YamlErrors;

/** Reads an {@link ImportFile} from YAML or JSON; every parse error names the line and the field. */
public final class ImportReader {
  /** SnakeYAML refuses documents over 3 MiB by default; a large directory export is bigger than that. */
  private static final int MAX_CODE_POINTS = 256 * 1024 * 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
      .loaderOptions(loaderOptions()).build())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ImportReader() {}

  private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
    org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
    options.setCodePointLimit(MAX_CODE_POINTS);
    return options;
  }

  /** Parses; fails with {@link ImportException} saying where and what. JSON is read by the same YAML parser. */
  public static ImportFile read(Path file) {
    try {
      if (!Files.isRegularFile(file)) throw new ImportException(file + ": no such file");
      ImportFile parsed = MAPPER.readValue(file.toFile(), ImportFile.class);
      if (parsed == null) throw new ImportException(file + ": the file is empty");
      return parsed;
    } catch (JsonProcessingException e) {
      throw new ImportException(YamlErrors.describe(file, e));
    } catch (IOException e) {
      throw new ImportException(file + ": cannot read: " + e.getMessage());
    }
  }

}
