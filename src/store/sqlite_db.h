// Thin RAII helpers over the sqlite3 C API for the store: prepared
// statements, transactions and error conversion. Private to src/store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "sprawl/util/expected.h"

namespace sprawl::store::detail {

/// An Error of code kStore carrying SQLite's message for db.
Error db_error(sqlite3* db, std::string_view what);

/// Runs SQL with no results (may hold several statements).
[[nodiscard]] Expected<void> exec(sqlite3* db, const char* sql);

/// A prepared statement; finalised on destruction. Binds are 1-based.
class Statement {
 public:
  Statement() = default;
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  [[nodiscard]] static Expected<Statement*> prepare(sqlite3* db,
                                                    std::string_view sql,
                                                    Statement& into);
  void bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void bind_blob(int i, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()),
                      SQLITE_TRANSIENT);
  }
  void bind_int(int i, int64_t value) { sqlite3_bind_int64(stmt_, i, value); }
  void bind_null(int i) { sqlite3_bind_null(stmt_, i); }
  /// Binds text, or NULL when it is empty.
  void bind_or_null(int i, std::string_view text) {
    if (text.empty()) bind_null(i); else bind(i, text);
  }

  /// Steps once: true when a row is available, false when done.
  [[nodiscard]] Expected<bool> step();
  /// Resets for re-execution with new binds.
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::string text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           sqlite3_column_bytes(stmt_, col))
             : std::string();
  }
  std::string blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    return p ? std::string(static_cast<const char*>(p),
                           sqlite3_column_bytes(stmt_, col))
             : std::string();
  }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE on construction (taking the write lock at once, so a
/// concurrent writer waits on busy_timeout instead of failing mid-way);
/// rolled back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  [[nodiscard]] Expected<void> begin();
  [[nodiscard]] Expected<void> commit();

 private:
  sqlite3* db_;
  bool open_ = false;
};

}  // namespace sprawl::store::detail
