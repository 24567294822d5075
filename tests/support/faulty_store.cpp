// SPDX-License-Identifier: MIT
#include "support/faulty_store.hpp"

namespace optimist::testing {

namespace {

/// A transaction of FaultyStore: its counted calls fail or forward to the wrapped store's
/// transaction, which it owns and ends.
class FaultyTransaction final : public Forwarding<Transaction> {
 public:
  FaultyTransaction(std::shared_ptr<Faults> faults, std::shared_ptr<Store> store,
                    std::unique_ptr<Transaction> inner)
      : Forwarding<Transaction>(store->logger(), std::move(faults)),
        store_(std::move(store)),
        inner_(std::move(inner)) {}

 protected:
  DataLayer& target() override { return *inner_; }

  Result<void> do_commit() override {
    if (auto e = faults_->next()) return abandon(*std::move(e));
    return inner_->commit();
  }
  Result<void> do_rollback() override {
    if (auto e = faults_->next()) return abandon(*std::move(e));
    return inner_->rollback();
  }
  // Savepoints are forwarded, not counted.
  Result<void> do_savepoint(std::size_t) override { return inner_->savepoint(); }
  Result<void> do_release_savepoint(std::size_t) override { return inner_->release_savepoint(); }
  Result<void> do_rollback_to_savepoint(std::size_t) override {
    return inner_->rollback_to_savepoint();
  }

 private:
  /// An injected commit or rollback failure: the wrapped transaction ends with nothing
  /// committed, as after a real failed commit, and `error` is the result.
  Result<void> abandon(Error error) {
    (void)inner_->rollback();
    return error;
  }

  std::shared_ptr<Store> store_;  // keeps the wrapped store alive while `inner_` lives
  std::unique_ptr<Transaction> inner_;
};

}  // namespace

FaultyStore::FaultyStore(std::shared_ptr<Store> inner)
    : Forwarding<Store>(inner->logger(), std::make_shared<Faults>()), inner_(std::move(inner)) {}

FaultyStore::~FaultyStore() = default;

Result<std::unique_ptr<Transaction>> FaultyStore::do_begin() {
  if (auto e = faults_->next()) return *std::move(e);
  OPTIMIST_TRY(inner, inner_->begin());
  return std::unique_ptr<Transaction>(
      std::make_unique<FaultyTransaction>(faults_, inner_, std::move(inner)));
}

Result<void> FaultyStore::do_ensure_schema(const Table& table) {
  return inner_->ensure_schema(table);
}

}  // namespace optimist::testing
