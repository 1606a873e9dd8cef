#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace common::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kLogfmt, kJson };

// Parses "debug", "info", "warn" or "error". Throws std::invalid_argument.
Level ParseLevel(std::string_view s);
// Parses "logfmt" or "json". Throws std::invalid_argument.
Format ParseFormat(std::string_view s);

// Sets the minimum level and the line format of all later log lines.
void Init(Level level, Format format);

// True if lines at `level` are written.
bool Enabled(Level level);

using Field = std::pair<std::string_view, std::string_view>;

// Writes one line to stderr: ts, level, msg and `fields`, as logfmt
// (ts=... level=info msg="..." key=value) or one JSON object. Thread-safe.
void Write(Level level, std::string_view msg,
           std::initializer_list<Field> fields = {});

inline void Debug(std::string_view msg, std::initializer_list<Field> f = {}) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, msg, f);
}
inline void Info(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, msg, f);
}
inline void Warn(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, msg, f);
}
inline void Error(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kError, msg, f);
}

}  // namespace common::log
