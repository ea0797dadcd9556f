package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Getting the database from {@code dbRepo}: a {@code file://} directory, and an {@code https://}
 * server on 127.0.0.1 started by the test with a certificate made for it.
 */
class OsvSourceTest {

  @TempDir Path dir;

  private HttpsServer server;
  private SSLContext tls;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile byte[] served;
  private volatile String etag = "\"v1\"";

  @BeforeEach
  void startServer() throws Exception {
    Path keystore = dir.resolve("server.p12");
    keytool(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair",
            "-keyalg",
            "EC",
            "-alias",
            "osv",
            "-dname",
            "CN=127.0.0.1",
            "-ext",
            "san=ip:127.0.0.1",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            keystore.toString(),
            "-storepass",
            "test-only",
            "-keypass",
            "test-only"));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, "test-only".toCharArray());
    }
    KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    km.init(keys, "test-only".toCharArray());
    TrustManagerFactory tm =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tm.init(keys);
    tls = SSLContext.getInstance("TLS");
    tls.init(km.getKeyManagers(), tm.getTrustManagers(), null);

    served = zipOf("DEBIAN-CVE-2024-1");
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/osv/",
        exchange -> {
          String inm = exchange.getRequestHeaders().getFirst("If-None-Match");
          requests.add(exchange.getRequestURI().getPath() + (inm == null ? "" : " " + inm));
          if (!exchange.getRequestURI().getPath().equals("/osv/Debian/all.zip")) {
            exchange.sendResponseHeaders(404, -1);
          } else if (etag.equals(inm)) {
            exchange.sendResponseHeaders(304, -1);
          } else {
            exchange.getResponseHeaders().add("ETag", etag);
            exchange.sendResponseHeaders(200, served.length);
            exchange.getResponseBody().write(served);
          }
          exchange.close();
        });
    server.start();
  }

  private static void keytool(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private OsvSource https() {
    String base = "https://127.0.0.1:" + server.getAddress().getPort() + "/osv";
    HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
    return new OsvSource(base, dir.resolve("cache"), client);
  }

  private byte[] zipOf(String id) throws Exception {
    Path zip = dir.resolve(id + ".zip");
    OsvFixtures.writeZip(zip, List.of(OsvFixtures.record(id, "Debian:12", "openssl", "1.0-1")));
    return Files.readAllBytes(zip);
  }

  @Test
  void downloadsOncePerRunAndRevalidatesTheCachedCopyOnTheNextRun() throws Exception {
    OsvSource run = https();
    Path first = run.zip("Debian").orElseThrow();
    run.zip("Debian");

    Path second = https().zip("Debian").orElseThrow();

    assertThat(requests).containsExactly("/osv/Debian/all.zip", "/osv/Debian/all.zip \"v1\"");
    assertThat(second).isEqualTo(first).isEqualTo(dir.resolve("cache/Debian/all.zip"));
    assertThat(OsvDatabase.empty().add(second, java.util.Set.of("Debian:12")).entries())
        .isEqualTo(1);
  }

  @Test
  void aChangedDatabaseReplacesTheCachedCopy() throws Exception {
    https().zip("Debian");
    served = zipOf("DEBIAN-CVE-2024-2");
    etag = "\"v2\"";

    Path zip = https().zip("Debian").orElseThrow();

    var db = OsvDatabase.empty().add(zip, java.util.Set.of("Debian:12"));
    assertThat(db.advisories("Debian:12", "openssl"))
        .extracting(Advisory::id)
        .containsExactly("DEBIAN-CVE-2024-2");
  }

  @Test
  void aDownloadThatIsNotAnOsvZipIsRejectedAndTheCachedCopyKept() throws Exception {
    Path good = https().zip("Debian").orElseThrow();
    byte[] before = Files.readAllBytes(good);
    served = "<html>captive portal</html>".getBytes();
    etag = "\"v3\"";

    assertThatThrownBy(() -> https().zip("Debian"))
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining("not a zip archive");
    assertThat(Files.readAllBytes(good)).isEqualTo(before);
  }

  @Test
  void anEcosystemTheRepositoryDoesNotHaveIsEmpty() {
    assertThat(https().zip("Alpine")).isEmpty();
  }

  @Test
  void anUnreachableRepositoryIsAClearError() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    OsvSource source =
        new OsvSource(
            "https://127.0.0.1:" + closed + "/osv",
            dir.resolve("cache"),
            OsvSource.defaultClient());

    assertThatThrownBy(() -> source.zip("Debian"))
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining(
            "cannot download https://127.0.0.1:" + closed + "/osv/Debian/all.zip");
  }

  @Test
  void aFileRepositoryIsReadInPlaceInEitherLayout() throws Exception {
    Path repo =
        OsvFixtures.create()
            .advisory("DEBIAN-CVE-2024-1", "Debian:12", "openssl", "1.0-1", null)
            .writeTo(dir.resolve("repo"));
    Path scannerLayout = dir.resolve("offline/osv-scanner/Alpine");
    Files.createDirectories(scannerLayout);
    Files.write(scannerLayout.resolve("all.zip"), zipOf("ALPINE-CVE-2024-1"));

    assertThat(new OsvSource(repo.toUri().toString(), dir, null).zip("Debian"))
        .hasValue(repo.resolve("Debian/all.zip"));
    assertThat(new OsvSource(dir.resolve("offline").toUri().toString(), dir, null).zip("Alpine"))
        .hasValue(scannerLayout.resolve("all.zip"));
    assertThat(new OsvSource(repo.toUri().toString(), dir, null).zip("Ubuntu"))
        .isEqualTo(Optional.empty());
  }

  @Test
  void aMissingFileRepositoryIsAClearError() {
    OsvSource source = new OsvSource(dir.resolve("nowhere").toUri().toString(), dir, null);

    assertThatThrownBy(() -> source.zip("Debian"))
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void severityComesFromTheDistributionThenCvssThenUnknown() {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var urgent =
        json.valueToTree(
            Map.of(
                "ecosystem_specific", Map.of("urgency", "high**"),
                "severity", List.of()));
    var cvssOnly = json.valueToTree(Map.of());
    var record =
        json.valueToTree(
            Map.of(
                "severity", List.of(Map.of("type", "CVSS_V3", "score", OsvFixtures.CVSS_MEDIUM))));
    var bare = json.valueToTree(Map.of());

    assertThat(OsvDatabase.severity(record, urgent)).hasToString("HIGH");
    assertThat(OsvDatabase.severity(record, cvssOnly)).hasToString("MEDIUM");
    assertThat(OsvDatabase.severity(bare, bare)).hasToString("UNKNOWN");
  }
}
