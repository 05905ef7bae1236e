// NestJS controllers and Angular components.
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { DomSanitizer, SafeHtml } from '@angular/platform-browser';
import { exec } from 'child_process';
import * as fs from 'fs';

@Controller('files')
export class FilesController {
  @Get(':name')
  read(@Param('name') name: string): string {
    return fs.readFileSync('/srv/files/' + name, 'utf8'); // expect: js-tainted-path
  }

  @Post('run')
  run(@Body() body: { command: string }): void {
    exec('tool ' + body.command); // expect: js-tainted-command
  }

  @Get()
  list(@Query('dir') dir: string): string[] {
    const safeDir = 'reports';
    return fs.readdirSync('/srv/' + safeDir); // ok: constant
  }
}

export class CommentComponent {
  html: SafeHtml | undefined;

  constructor(private sanitizer: DomSanitizer) {}

  show(comment: string): void {
    this.html = this.sanitizer.bypassSecurityTrustHtml(comment); // expect: js-angular-bypass-sanitizer
  }

  banner(): void {
    this.html = this.sanitizer.bypassSecurityTrustHtml('<b>Welcome</b>'); // ok: constant
  }
}
