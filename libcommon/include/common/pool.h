#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace common {

// Objects worth reusing from one request to the next (a metric sink, a
// response buffer, a gzip compressor), lent out one at a time. Up to `keep`
// idle ones are kept; the rest are freed when given back, so a burst of
// concurrent requests does not leave its memory behind. Thread-safe.
template <typename T>
class Pool {
 public:
  // An object on loan; given back to the pool when the lease ends.
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<T> obj)
        : pool_(&pool), obj_(std::move(obj)) {}
    Lease(Lease&& other) noexcept
        : pool_(other.pool_), obj_(std::move(other.obj_)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (obj_) pool_->GiveBack(std::move(obj_));
    }
    T& operator*() const { return *obj_; }
    T* operator->() const { return obj_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<T> obj_;
  };

  explicit Pool(size_t keep) : keep_(keep) {}

  // An idle object, or a new one made with T's default constructor.
  Lease Take() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        std::unique_ptr<T> obj = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(obj));
      }
    }
    return Lease(*this, std::make_unique<T>());
  }

  // Number of idle objects kept.
  size_t idle() const {
    std::lock_guard lock(mu_);
    return idle_.size();
  }

 private:
  void GiveBack(std::unique_ptr<T> obj) {
    std::lock_guard lock(mu_);
    if (idle_.size() < keep_) idle_.push_back(std::move(obj));
  }

  const size_t keep_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<T>> idle_;
};

}  // namespace common
