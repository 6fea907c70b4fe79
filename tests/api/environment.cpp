#include "environment.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include "auth/totp.hpp"
#include "client.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/database.hpp"

namespace welfare::testing {
namespace {

std::string Env(const char* name, const char* fallback = "") {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string PgConnectString(const std::string& url) {
  const auto location = db::ParseDatabaseUrl(url);
  if (!location) throw std::runtime_error("bad database URL " + url);
  return location->connect_string;
}

unsigned short FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string CurrentTotp(const std::string& secret, int offset) {
  return auth::TotpCode(secret, auth::TotpStep(Now()) + offset);
}

ServerEnvironment& ServerEnvironment::Get() {
  static ServerEnvironment environment;
  return environment;
}

CommandResult ServerEnvironment::Welfare(const std::vector<std::string>& args) const {
  std::string command = Quote(binary_);
  for (const auto& arg : args) command += " " + Quote(arg);
  const bool has_database = std::ranges::find(args, std::string("--database")) != args.end();
  if (!has_database && !args.empty() && args.front() != "routes" && args.front() != "version" &&
      std::ranges::find(args, std::string("--help")) == args.end()) {
    command += " --database " + Quote(database_url_) + " --secret-key-file " + Quote(key_file());
  }
  command += " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t read = 0;
  while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), read);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

void ServerEnvironment::SetUp() {
  InitCrypto();
  binary_ = Env("WELFARE_BIN");
  if (binary_.empty()) throw std::runtime_error("set WELFARE_BIN to the welfare binary");
  // The shipped forms and service types, for every command and server the tests start.
  setenv("WELFARE_CONFIG_DIR", (std::filesystem::path(WELFARE_SOURCE_DIR) / "config").c_str(), 0);
  dir_ = std::filesystem::temp_directory_path() / ("welfare-api-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir_);
  postgresql_ = Env("WELFARE_TEST_DIALECT", "sqlite") == "postgresql";
  if (postgresql_) {
    std::ifstream port_file(std::filesystem::path(Env("WELFARE_TEST_PG_DIR")) / "port");
    std::string pg_port;
    port_file >> pg_port;
    if (pg_port.empty()) throw std::runtime_error("the PostgreSQL test cluster is not running (no port file)");
    pg_database_ = "welfare_test_" + std::to_string(getpid());
    admin_url_ = "postgresql://postgres@127.0.0.1:" + pg_port + "/" + pg_database_;
    // The application connects as an ordinary role that owns its database, as in production.
    soci::session admin(*soci::factory_postgresql(),
                        PgConnectString("postgresql://postgres@127.0.0.1:" + pg_port + "/postgres"));
    admin << "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'welfare_app') THEN "
             "CREATE ROLE welfare_app LOGIN; END IF; END $$";
    admin << "CREATE DATABASE " + pg_database_ + " OWNER welfare_app";
    database_url_ = "postgresql://welfare_app@127.0.0.1:" + pg_port + "/" + pg_database_;
  } else {
    database_url_ = "sqlite://" + (dir_ / "welfare.db").string();
    admin_url_ = database_url_;
  }
  const auto migrated = Welfare({"migrate"});
  if (migrated.exit_code != 0) throw std::runtime_error("migrate failed: " + migrated.output);
  const auto seeded = Welfare({"seed-demo"});
  if (seeded.exit_code != 0) throw std::runtime_error("seed-demo failed: " + seeded.output);

  port_ = FreePort();
  const std::string log = (dir_ / "server.log").string();
  const std::string web_root = (dir_ / "web").string();
  std::filesystem::create_directories(web_root);
  std::ofstream(web_root + "/index.html") << "<!doctype html><title>OpenWelfare</title>";
  std::filesystem::create_directories(web_root + "/assets");
  std::ofstream(web_root + "/assets/app-1234.js") << "console.log('app')";
  std::ofstream(web_root + "/assets/app-1234.js.gz") << "gzip-bytes";
  pid_ = StartServer(port_, {"--web-root", web_root}, log);
}

pid_t StartWelfareServer(const std::string& binary, const std::string& database_url, const std::string& key_file,
                         unsigned short port, const std::vector<std::string>& extra, const std::string& log) {
  std::vector<std::string> args = {binary,   "serve",    "--database", database_url, "--secret-key-file",
                                   key_file, "--listen", "127.0.0.1",  "--port",     std::to_string(port)};
  args.insert(args.end(), extra.begin(), extra.end());
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the test process
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      Client client(port);
      if (client.Get("/readyz").status == 200) return pid;
    } catch (const std::exception&) {  // not listening yet
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  throw std::runtime_error("the server did not become ready:\n" + text.str());
}

pid_t ServerEnvironment::StartServer(unsigned short port, const std::vector<std::string>& extra,
                                     const std::string& log) const {
  std::vector<std::string> args = {"--threads", "4"};
  args.insert(args.end(), extra.begin(), extra.end());
  return StartWelfareServer(binary_, database_url_, key_file(), port, args, log);
}

int ServerEnvironment::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int attempt = 0; attempt < 300; ++attempt) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

void ServerEnvironment::TearDown() {
  Stop();
  if (postgresql_ && !pg_database_.empty()) {
    try {
      const std::string maintenance = admin_url_.substr(0, admin_url_.rfind('/')) + "/postgres";
      soci::session admin(*soci::factory_postgresql(), PgConnectString(maintenance));
      admin << "DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)";
    } catch (const std::exception&) {  // the cluster is removed afterwards anyway
    }
  }
  std::error_code ec;
  if (std::getenv("WELFARE_TEST_KEEP") == nullptr) std::filesystem::remove_all(dir_, ec);
}

}  // namespace welfare::testing
