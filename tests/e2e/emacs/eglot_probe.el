;;; eglot_probe.el --- guardline through real Emacs + eglot, for tests/test_emacs_e2e.py  -*- lexical-binding: t -*-
;; Adapted from the team's shared headless eglot probe. Env: GL_CMD (JSON argv), GL_FILE (tangled code),
;; GL_CLONE_FILE (two copies of a function), GL_EMACS_DIR (editors/emacs), GL_TIMEOUT_MS, GL_OUT (JSON).
;; Records flymake diagnostics, a hover, the code actions, the buffer after applying the "allow" action
;; and the diagnostics after it, and the lines guardline-show-copies lists.
(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")   ; -Q skips Debian's site-start
(setq package-user-dir (make-temp-file "probe-elpa" t))
(package-initialize)
(require 'eglot)
(require 'json)
(require 'python)
(require 'subr-x)
(add-to-list 'load-path (getenv "GL_EMACS_DIR"))
(require 'guardline)

(defvar probe--timeout (string-to-number (or (getenv "GL_TIMEOUT_MS") "30000")))
(defun probe--wait (pred)
  (let ((deadline (+ (float-time) (/ probe--timeout 1000.0))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (funcall pred)))
(defvar probe--publishes 0 "publishDiagnostics notifications seen")
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest _params)
              (when (eq method 'textDocument/publishDiagnostics) (setq probe--publishes (1+ probe--publishes)))))
(defun probe--flymake-after-publish (seen)
  "Wait for a publish after SEEN, then run flymake (batch Emacs never starts it by itself)."
  (probe--wait (lambda () (> probe--publishes seen)))
  (flymake-start)
  (probe--wait-flymake (lambda () (flymake-diagnostics))))
(defun probe--wait-flymake (pred)
  "Wait until PRED holds for what flymake shows. With `flymake-no-changes-timeout' nil, eglot only stores a
publish that arrives after flymake's last start (github#958), so flymake is started again after every new
publish."
  (let ((reported probe--publishes))
    (probe--wait (lambda ()
                   (when (> probe--publishes reported)
                     (setq reported probe--publishes)
                     (flymake-start))
                   (funcall pred)))))
(defun probe--codes ()
  (mapcar (lambda (d) (flymake-diagnostic-text d)) (flymake-diagnostics)))
(defun probe--has (word) (seq-some (lambda (m) (string-match-p (regexp-quote word) m)) (probe--codes)))

(let* ((cmd (append (json-read-from-string (getenv "GL_CMD")) nil))
       (result nil) (server nil))
  (setq eglot-server-programs
        (list (cons 'python-mode (append cmd (list :initializationOptions '(:debounce_ms 0))))))
  (setq eglot-sync-connect t eglot-connect-timeout 60 eglot-autoshutdown nil eglot-events-buffer-size 0
        flymake-no-changes-timeout nil eglot-send-changes-idle-time 0.1)
  (condition-case err
      (let ((buf (find-file-noselect (getenv "GL_FILE"))))
        (switch-to-buffer buf)
        (apply #'eglot (eglot--guess-contact))
        (setq server (eglot-current-server))
        (probe--flymake-after-publish 0)
        (push (cons 'diagnostics (vconcat (probe--codes))) result)
        ;; hover on the name of tangled()
        (goto-char (point-min))
        (search-forward "def tangled")
        (backward-word)
        (let ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams))))
          (push (cons 'hover (plist-get (plist-get hover :contents) :value)) result))
        ;; code actions on that line; apply the "allow" quick fix as eglot does
        (let* ((actions (jsonrpc-request server :textDocument/codeAction
                                         (list :textDocument (eglot--TextDocumentIdentifier)
                                               :range (list :start (eglot--pos-to-lsp-position (line-beginning-position))
                                                            :end (eglot--pos-to-lsp-position (line-end-position)))
                                               :context (list :diagnostics []))))
               (allow (seq-find (lambda (a) (string-prefix-p "guardline: allow" (plist-get a :title))) actions)))
          (push (cons 'actions (vconcat (mapcar (lambda (a) (plist-get a :title)) actions))) result)
          (when allow
            (let ((seen probe--publishes))
              (eglot--apply-workspace-edit (plist-get allow :edit))
              (push (cons 'line_after_allow (buffer-substring-no-properties (line-beginning-position) (line-end-position))) result)
              (eglot--signal-textDocument/didChange)
              (probe--wait (lambda () (> probe--publishes seen)))
              (flymake-start)
              (probe--wait-flymake (lambda () (not (probe--has "Cognitive"))))
              (push (cons 'publishes_after_allow (- probe--publishes seen)) result)
              (push (cons 'diagnostics_after_allow (vconcat (probe--codes))) result))))
        ;; guardline.el: show all copies of the clone in the second file
        (let ((clone (find-file-noselect (getenv "GL_CLONE_FILE"))))
          (switch-to-buffer clone)
          (let ((seen probe--publishes))
            (eglot--maybe-activate-editing-mode)
            (probe--flymake-after-publish seen))
          (probe--wait-flymake (lambda () (probe--has "Duplicated block")))
          (push (cons 'clone_diagnostics
                      (vconcat (mapcar (lambda (d) (list (cons 'text (flymake-diagnostic-text d))
                                                         (cons 'lines (count-lines (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))))
                                       (seq-filter (lambda (d) (string-match-p "Duplicated" (flymake-diagnostic-text d)))
                                                   (flymake-diagnostics)))))
                result)
          (goto-char (point-min))
          (push (cons 'copies (guardline-show-copies)) result)
          (with-current-buffer "*guardline copies*"
            (push (cons 'copies_text (buffer-string)) result))))
    (error (push (cons 'error (format "%S" err)) result)))
  (with-temp-file (getenv "GL_OUT") (insert (json-encode result)))
  (ignore-errors (when server (eglot-shutdown server nil 2)))
  (kill-emacs 0))
