// Test classes run one after another: each gateway and test hub creates meters named IntegrationHub.*, which are
// process-wide, and a /metrics endpoint must export its own gateway's instruments, not another test's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
