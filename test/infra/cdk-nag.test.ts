/**
 * cdk-nag 3 is a CDK validation plugin: `buildApp` registers AwsSolutionsChecks with `Validations.of(app)`, and
 * synthesis runs it. An unacknowledged error makes `app.synth()` throw; every finding (errors and warnings) lands
 * in the cloud assembly's validation report. Acknowledgments are `Validations.of(construct).acknowledge(...)`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildTestApp } from './test-app.js';

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

function synthesize(app: ReturnType<typeof buildTestApp>['app']): { findings: string[]; error?: unknown } {
  try {
    const assembly = app.synth();
    const report = JSON.parse(
      readFileSync(join(assembly.directory, VALIDATION_REPORT_FILE), 'utf8'),
    ) as ValidationReport;
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map(
          (construct) =>
            `${plugin.pluginName} ${violation.severity} ${violation.ruleName} at ${construct.constructPath}`,
        ),
      ),
    );
    return { findings };
  } catch (error) {
    return { findings: [], error };
  }
}

function acknowledgments(root: IConstruct): { path: string; id: string; reason: unknown }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

// Arrange (once per file: synthesis is the slow part). CDK's CloudFormation schema check runs too.
const { app } = buildTestApp({ cloudFormationValidation: true });
const synthesis = synthesize(app);

describe('Validation: cdk-nag AwsSolutions', () => {
  it('synthesizes the app with no unacknowledged AwsSolutions error', () => {
    // Assert
    expect(synthesis.error).toBeUndefined();
  });

  it('reports no finding of any plugin or severity in the validation report', () => {
    // Assert
    expect(synthesis.findings).toEqual([]);
  });

  it('finds nothing when the checks walk the synthesized construct tree directly', () => {
    // Act
    const report = new AwsSolutionsChecks().validateScope(app);

    // Assert
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('gives every acknowledgment a one-line reason', () => {
    // Act
    const acks = acknowledgments(app);

    // Assert
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect({ ...ack, reason: typeof ack.reason }).toEqual({ ...ack, reason: 'string' });
      expect(String(ack.reason).trim().length).toBeGreaterThan(20);
      expect(String(ack.reason)).not.toContain('\n');
    }
  });

  it('fails synthesis when a resource breaks an AwsSolutions rule without an acknowledgment', () => {
    // Arrange: the same app plus one plain queue (no encryption, no TLS policy, no DLQ)
    const probe = buildTestApp();
    new Queue(probe.stateless, 'UnacknowledgedQueue');
    const silenced = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const consoleSilenced = jest.spyOn(globalThis.console, 'error').mockImplementation(() => undefined);

    // Act
    const result = synthesize(probe.app);
    silenced.mockRestore();
    consoleSilenced.mockRestore();

    // Assert
    expect(String(result.error)).toMatch(/Validation ?failed/i);
    expect(new AwsSolutionsChecks().validateScope(probe.app).violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });
});
