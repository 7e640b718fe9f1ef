import { Command, CommanderError, Option } from 'commander';
import { modelKindNames } from '../../models/model-kinds';
import { EXIT_BAD_INPUT, EXIT_OK, describeCliError } from './cli-errors';
import { durationFlag, kindFlag, modelFlag, modelsFlag, positiveIntFlag, quantilesFlag, serviceUrlFlag, shardFlag, timezoneFlag } from './cli-options';
import { backtestCommand } from './commands/backtest-command';
import { checkCommand } from './commands/check-command';
import { forecastCommand } from './commands/forecast-command';
import { importCommand } from './commands/import-command';
import { migrateCommand } from './commands/migrate-command';
import { modelsCommand } from './commands/models-command';
import { trainCommand } from './commands/train-command';
import { planCommand } from './commands/plan-command';
import { serveCommand } from './commands/serve-command';
import { simulateCommand } from './commands/simulate-command';
import { AUTO } from '../../simulate/auto-trainings';
import { DEFAULT_PRESCALE_SETTINGS } from '../../simulate/simulate-trace';
import { type SimulateFlags, simulateOptions } from './simulate-flags';
import { codeVersion } from '../../training/code-version';

/** Runs the `prescale` CLI; resolves to the process exit code (2 for bad input, with one line on stderr). */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let exitCode = EXIT_OK;
  const out = process.stdout;
  const program = new Command('prescale')
    .description('Predictive autoscaler for Kubernetes: forecasts load so capacity is warm before the peak.')
    .version(codeVersion(), '-V, --version', 'print the version and exit')
    // Program options only before the command: `models promote --version v9` is the model's version.
    .enablePositionalOptions()
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `prescale: ${s.slice(7)}` : s) });

  program
    .command('serve')
    .description('run the service (embedded SQLite store and demo workload when no config is given)')
    .option('--config <file>', 'YAML or JSON config file')
    .option('--demo-replay <duration>', 'record this much demo history (e.g. 1d) in advisory mode on start, so the dashboard shows planned vs actual replicas and decisions at once')
    .action(async (opts: { config?: string; demoReplay?: string }) => {
      exitCode = await serveCommand(opts, env);
    });

  program
    .command('check')
    .description('validate a config file (schema and cross-references, every problem with its path); exit 0 or 2')
    .requiredOption('--config <file>', 'YAML or JSON config file')
    .action((opts: { config: string }) => {
      exitCode = checkCommand(opts, out, process.stderr);
    });

  program
    .command('migrate')
    .description('apply the PostgreSQL schema migrations to storage.postgres (url, urlFile or env PRESCALE_POSTGRES_URL); prints what it applied')
    .option('--config <file>', 'YAML or JSON config file')
    .action(async (opts: { config?: string }) => {
      exitCode = await migrateCommand(opts, env, out, process.stderr);
    });

  program
    .command('import')
    .description('push a CSV file (timestamp,value) to a running service')
    .argument('<file>', 'CSV file, or - for standard input')
    .requiredOption('--series <name>', 'series to import into')
    .option('--url <url>', 'service address', env['PRESCALE_URL'] ?? `http://127.0.0.1:${env['PORT'] ?? 8080}`)
    .option('--batch <n>', 'samples per request', '10000')
    .option('--token-file <file>', 'bearer token for a service with server.auth (role write)', env['PRESCALE_TOKEN_FILE'])
    .action(async (file: string, opts: { series: string; url: string; batch: string; tokenFile?: string }, cmd: Command) => {
      const url = serviceUrlFlag(urlSource(cmd.getOptionValueSource('url'), env), opts.url);
      exitCode = await importCommand(file, { series: opts.series, url, batch: positiveIntFlag('--batch', opts.batch), tokenFile: opts.tokenFile }, out);
    });

  withSeriesFileOptions(
    program
      .command('forecast')
      .description('fit on a CSV file and print the forecast after its end')
      .option('--model <name>', `model (${modelKindNames().join(', ')})`, 'seasonal')
      .option('--quantiles <list>', 'quantile levels', '0.5,0.9'),
  ).action(async (file: string, opts: FileOptions & { model: string; quantiles: string }) => {
    exitCode = await forecastCommand(file, { ...fileOptions(opts), model: modelFlag('--model', opts.model), quantiles: quantilesFlag(opts.quantiles), json: Boolean(opts.json) }, out);
  });

  withSeriesFileOptions(
    program
      .command('backtest')
      .description('rolling-origin backtest of models on a CSV file: MASE, sMAPE, pinball loss, coverage')
      .option('--models <list>', 'comma-separated models', 'seasonal-naive,seasonal')
      .option('--windows <n>', 'number of rolling origins', '24')
      .option('--refit-every <n>', 'retrain lstm/ensemble every n origins, conditioning on new data in between', '8'),
  ).action(async (file: string, opts: FileOptions & { models: string; windows: string; refitEvery: string }) => {
    exitCode = await backtestCommand(
      file,
      {
        ...fileOptions(opts),
        models: modelsFlag(opts.models),
        windows: positiveIntFlag('--windows', opts.windows),
        refitEvery: positiveIntFlag('--refit-every', opts.refitEvery),
        json: Boolean(opts.json),
      },
      out,
    );
  });

  program
    .command('train')
    .description('train models once (stored series, or a CSV file) through the promotion gate into the registry, then exit')
    .option('--config <file>', 'YAML or JSON config file')
    .option('--series <name>', 'train only this configured series (default: all)')
    .option('--shard <INDEX/COUNT>', 'train only this share of the configured series (a stable hash of each name mod COUNT); /COUNT takes INDEX from JOB_COMPLETION_INDEX, as in a Kubernetes Indexed Job')
    .option('--csv <file>', 'train on a CSV file (timestamp,value; - for standard input) instead of the store')
    .option('--name <name>', 'registry name for --csv (default: the file name)')
    .option('--step <duration>', "step of the --csv series, e.g. 5m (default: the median spacing of the file's timestamps)")
    .option('--horizon <duration>', 'horizon of the --csv series', '1h')
    .option('--timezone <tz>', 'IANA timezone of the --csv series', 'UTC')
    .addOption(new Option('--kind <kind>', 'rate or gauge, for --csv').default('rate'))
    .option('--json', 'print one JSON document: { shard, trained: [ { series, version, kind, decision, reason, backend, fitSeconds, choice? } ], failed: [ { series, error } ] }')
    .action(async (opts: TrainFlags) => {
      exitCode = await trainCommand(
        {
          ...(opts.config !== undefined ? { config: opts.config } : {}),
          ...(opts.series !== undefined ? { series: opts.series } : {}),
          ...(opts.shard !== undefined ? { shard: shardFlag(opts.shard, env) } : {}),
          json: Boolean(opts.json),
          ...(opts.csv !== undefined ? { csv: opts.csv } : {}),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.step !== undefined ? { stepSeconds: durationFlag('--step', opts.step) } : {}),
          horizonSeconds: durationFlag('--horizon', opts.horizon),
          timezone: timezoneFlag(opts.timezone),
          kind: kindFlag(opts.kind),
        },
        env,
        out,
      );
    });

  const models = program.command('models').description('list the model registry, promote a version or roll back');
  models
    .command('list')
    .option('--config <file>', 'YAML or JSON config file')
    .option('--series <name>', 'only this series')
    .option('--json', 'print JSON')
    .action(async (opts: { config?: string; series?: string; json?: boolean }) => {
      exitCode = await modelsCommand('list', opts, env, out);
    });
  models
    .command('promote')
    .option('--config <file>', 'YAML or JSON config file')
    .requiredOption('--series <name>', 'series')
    .requiredOption('--version <version>', 'version to serve, e.g. v000002')
    .action(async (opts: { config?: string; series: string; version: string }) => {
      exitCode = await modelsCommand('promote', opts, env, out);
    });
  models
    .command('rollback')
    .option('--config <file>', 'YAML or JSON config file')
    .requiredOption('--series <name>', 'series')
    .action(async (opts: { config?: string; series: string }) => {
      exitCode = await modelsCommand('rollback', opts, env, out);
    });

  program
    .command('plan')
    .description('print the replica plan of every pool, with the reason for each step')
    .requiredOption('--config <file>', 'YAML or JSON config file with pools, schedules, events, quotas')
    .option('--at <time>', 'plan as of this ISO 8601 time (default: now)')
    .option('--json', 'print JSON: { pools: [ { pool, steps: [ { t, replicas, reason } ] } ] }')
    .option('--all', 'table: one row per step (default: rows where the value or the reason changes)')
    .action(async (opts: { config: string; at?: string; json?: boolean; all?: boolean }) => {
      exitCode = await planCommand({ config: opts.config, at: opts.at, json: Boolean(opts.json), all: Boolean(opts.all) }, env, out);
    });

  program
    .command('simulate')
    .description('replay reactive HPA, schedule, fixed, Prescale and the oracle on a demand trace')
    .argument('<file>', 'CSV demand trace (timestamp,value), or - for standard input')
    .requiredOption('--pool <file>', 'YAML pool: capacityPerReplica, leadTime, headroom, minReplicas, maxReplicas, gpusPerReplica, costPerReplicaHour')
    .option('--step <duration>', "trace step (default: the median spacing of the file's timestamps)")
    .option('--timezone <tz>', 'IANA timezone of the daily/weekly rhythm and business hours', 'UTC')
    .option('--warmup <duration>', 'time before scoring starts (default: a week, at most half the trace)')
    .option('--model <name>', `Prescale's model (${[...modelKindNames(), AUTO].join(', ')}; auto trains as the service's default forecast.model does)`, DEFAULT_PRESCALE_SETTINGS.model)
    .option('--quantile <q>', 'forecast quantile Prescale provisions for', String(DEFAULT_PRESCALE_SETTINGS.quantile))
    .option('--refit-every <duration>', 'refit period of a model cheap to refit (seasonal, seasonal-naive), as training.schedule', '6h')
    .option('--train-every <duration>', 'training period of a model that trains or fits for seconds (lstm, mstl, ensemble), as training.schedule', '1d')
    .option('--scale-up-tolerance <t>', "behavior.scaleUp.tolerance of Prescale's HPA (0: act on every replica the plan adds; needs the HPAConfigurableTolerance gate)", String(DEFAULT_PRESCALE_SETTINGS.scaleUpTolerance))
    .option('--json', 'print JSON')
    .option('--plot <file>', 'write an SVG of demand vs Ready capacity per policy')
    .action(async (file: string, opts: SimulateFlags) => {
      exitCode = await simulateCommand(file, simulateOptions(opts), out);
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    const { code, line } = describeCliError(err);
    process.stderr.write(`${line}\n`);
    return code;
  }
}

interface TrainFlags {
  config?: string;
  series?: string;
  shard?: string;
  csv?: string;
  name?: string;
  step?: string;
  horizon: string;
  timezone: string;
  kind: string;
  json?: boolean;
}

/** Where the import address came from, so an error names what the user set: the flag, PRESCALE_URL or PORT. */
function urlSource(source: string | undefined, env: NodeJS.ProcessEnv): string {
  if (source !== 'default') return '--url';
  return env['PRESCALE_URL'] !== undefined ? 'PRESCALE_URL' : 'PORT';
}

interface FileOptions {
  step?: string;
  horizon: string;
  timezone: string;
  kind: string;
  json?: boolean;
}

function withSeriesFileOptions(cmd: Command): Command {
  return cmd
    .argument('<file>', 'CSV file (timestamp,value), or - for standard input; a finer step than --step is aggregated onto it')
    .option('--step <duration>', "series step, e.g. 5m (default: the median spacing of the file's timestamps)")
    .requiredOption('--horizon <duration>', 'forecast horizon, e.g. 1h')
    .option('--timezone <tz>', 'IANA timezone of the daily/weekly rhythm', 'UTC')
    .addOption(new Option('--kind <kind>', 'rate (mean per step) or gauge (last per step)').default('rate'))
    .option('--json', 'print JSON');
}

function fileOptions(opts: FileOptions): { stepSeconds: number | undefined; horizonSeconds: number; timezone: string; kind: 'rate' | 'gauge' } {
  return {
    stepSeconds: opts.step === undefined ? undefined : durationFlag('--step', opts.step),
    horizonSeconds: durationFlag('--horizon', opts.horizon),
    timezone: timezoneFlag(opts.timezone),
    kind: kindFlag(opts.kind),
  };
}
