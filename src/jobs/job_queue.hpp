/// \file Background jobs: a table used as a queue, worker threads in the server, progress and outcome recorded.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "db/database.hpp"

namespace welfare::jobs {

/// One job as stored.
struct Job {
  long long id = 0;
  std::string kind;
  std::string status;  ///< queued, running, succeeded, failed
  std::string payload;
  std::optional<std::string> result;
  std::optional<std::string> error;
  long long progress_done = 0;
  long long progress_total = 0;
  int attempts = 0;
  std::optional<long long> created_by;
  std::string created_at;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
};

[[nodiscard]] boost::json::object ToJson(const Job& job);

/// What a running job may do: report progress and learn that the server is stopping.
class JobContext {
 public:
  JobContext(db::Database& database, long long id, const std::atomic<bool>& stopping)
      : database_(database), id_(id), stopping_(stopping) {}
  [[nodiscard]] long long id() const { return id_; }
  /// Records progress (written at most a few times a second).
  void Progress(long long done, long long total);
  /// True when the server is shutting down; a job should stop and will be resumed on the next start.
  [[nodiscard]] bool Stopping() const { return stopping_.load(); }

 private:
  db::Database& database_;
  long long id_;
  const std::atomic<bool>& stopping_;
  std::chrono::steady_clock::time_point last_write_{};
};

/// A job kind's work: returns a result object or an error.
using JobHandler = std::function<Result<boost::json::object>(JobContext&, const boost::json::object& payload)>;

/// The queue and its workers.
class JobQueue {
 public:
  JobQueue(db::Database& database, std::string worker_name)
      : database_(database), worker_name_(std::move(worker_name)) {}
  ~JobQueue();

  /// Registers the handler of a job kind (before Start).
  void Register(const std::string& kind, JobHandler handler);
  /// Adds a job in the caller's transaction; workers pick it up after commit.
  [[nodiscard]] long long Enqueue(soci::session& sql, const std::string& kind, const boost::json::object& payload,
                                  std::optional<long long> created_by);
  /// Requeues jobs left running by a stopped server (or fails them after too many attempts), then starts workers.
  void Start(size_t worker_count);
  /// Asks workers to stop after their current job and waits for them.
  void Stop();
  /// Work run by an idle worker at most once per `interval` (purging expired sessions and the like).
  void SetHousekeeping(std::function<void()> work, std::chrono::seconds interval);
  /// Wakes a worker (after Enqueue's transaction committed).
  void Notify();

  [[nodiscard]] Result<std::vector<Job>> List(std::optional<std::string> status, int limit);
  [[nodiscard]] Result<Job> Get(long long id);
  /// Jobs waiting or running, for /metrics.
  [[nodiscard]] std::pair<long long, long long> Counts();
  /// Runs queued jobs in the calling thread until none is left (command line and tests).
  void Drain();

 private:
  [[nodiscard]] std::optional<Job> Claim();
  void RunOne(const Job& job);
  void WorkerLoop();

  db::Database& database_;
  std::string worker_name_;
  std::map<std::string, JobHandler> handlers_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::function<void()> housekeeping_;
  std::chrono::seconds housekeeping_interval_{3600};
  std::chrono::steady_clock::time_point next_housekeeping_{};
};

}  // namespace welfare::jobs
