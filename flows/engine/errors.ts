// Raised when a stored conversation cannot be stepped on the flow it was given.
export class FlowStepError extends Error {
  constructor(
    message: string,
    readonly flowId: string,
    readonly flowVersion: number,
    readonly stateId: string,
  ) {
    super(message);
    this.name = 'FlowStepError';
  }
}
