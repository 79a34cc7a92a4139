import {
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { Workflows } from '../../app/payments/ports.js';

export class StepFunctionsWorkflows implements Workflows {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  startPayment(paymentId: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    return this.start(paymentId, input);
  }

  /** Starts an execution of this adapter's state machine, named `name` (a duplicate start is harmless). */
  async start(name: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // The execution is named by the payment: it exists, so this payment's lifecycle already runs.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean> {
    return this.#settle(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    return this.#settle(() => this.client.send(new SendTaskFailureCommand({ taskToken, error, cause })));
  }

  async #settle(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      // Already resumed by the other side of a race, or timed out: the lifecycle has moved on.
      if (error instanceof TaskDoesNotExist || error instanceof TaskTimedOut) return false;
      throw error;
    }
  }
}
