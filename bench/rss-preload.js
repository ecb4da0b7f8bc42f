// Preloaded (`node -r`) into the processes the bench runs: writes the process's peak RSS (KB) to
// the file named by CDK8S_ISTIO_BENCH_RSS when it exits.
'use strict';
const file = process.env.CDK8S_ISTIO_BENCH_RSS;
if (file) {
  process.on('exit', () => {
    require('fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
