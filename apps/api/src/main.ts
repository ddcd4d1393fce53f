import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError } from '@app/config';
import { bootstrap } from './bootstrap';

async function main(): Promise<void> {
  try {
    const service = await bootstrap();
    new Logger('Main').log(`Callback API on ${service.callbackUrl}, operator API on ${service.operatorUrl}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

void main();
