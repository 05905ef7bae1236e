export interface DbConfig { host: string; password: string; }

export const config: DbConfig = {
  host: 'db.internal',
  password: 'P@ssw0rd!', // expect: secret-generic
};

export class Mailer {
  private readonly apiSecret: string = 'e8f7d6c5b4a39281f0e1'; // expect: secret-generic
  private readonly smtpPassword: string = process.env.SMTP_PASSWORD ?? ''; // ok
  private readonly passwordMinLength = 12; // ok
  private readonly tokenStorageKey = 'auth_token'; // ok
}

export const OPENAI_KEY = 'sk-proj-q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYaZ'; // expect: secret-provider-token
export const placeholder = { apiKey: '<your-api-key>' }; // ok
