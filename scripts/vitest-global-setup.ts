// Runs once before any test file: fails the run with a readable message, not a stack trace,
// when Redis or PostgreSQL is missing (also when a project is tested on its own via nx).
import { checkTestServices, HOW_TO_START } from './check-services.mjs';

export default async function setup(): Promise<void> {
  const { problems } = await checkTestServices();
  if (problems.length > 0) {
    const message = `The tests need real services:\n  - ${problems.join('\n  - ')}\n\n${HOW_TO_START}`;
    const error = new Error(message);
    error.stack = message;
    throw error;
  }
}
