;;; guardline.el --- guardline's server commands for eglot  -*- lexical-binding: t -*-
;; Put this file on your load-path and (require 'guardline) after eglot. Commands:
;;   M-x guardline-explain       the function at point: cognitive increments and origin, in a buffer
;;   M-x guardline-show-copies   every copy of the clone at point, in a grep-mode buffer (next-error works)
;;   M-x guardline-open-report   write the HTML quality report and open it (browse-url)
;; Code actions (allow with a ceiling, explain, show copies, open report): M-x eglot-code-actions.
(require 'eglot)
(require 'jsonrpc)

(defun guardline--command (command &rest args)
  "Run the guardline server COMMAND with ARGS through the buffer's eglot connection."
  (let ((server (or (eglot-current-server) (user-error "guardline: no eglot server in this buffer"))))
    (jsonrpc-request server :workspace/executeCommand
                     (list :command command :arguments (vconcat args)))))

(defun guardline--here ()
  (list (eglot--path-to-uri (buffer-file-name)) (1- (line-number-at-pos))))

;;;###autoload
(defun guardline-explain ()
  "Show why the function at point scores what it scores."
  (interactive)
  (let ((result (apply #'guardline--command "guardline.explain" (guardline--here))))
    (with-current-buffer (get-buffer-create "*guardline explain*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (plist-get result :markdown))
        (goto-char (point-min)))
      (when (fboundp 'markdown-mode) (markdown-mode))
      (display-buffer (current-buffer)))))

;;;###autoload
(defun guardline-show-copies ()
  "List this copy and every other copy of the clone at point (next-error / RET visits them)."
  (interactive)
  (let* ((here (guardline--here))
         (result (apply #'guardline--command "guardline.showDuplicates" here))
         (root (or (and (project-current) (project-root (project-current))) default-directory))
         (lines (cons (format "%s:%d: this copy" (file-relative-name (buffer-file-name) root) (1+ (cadr here)))
                      (mapcar (lambda (loc)
                                (format "%s:%d: other copy"
                                        (file-relative-name (eglot--uri-to-path (plist-get loc :uri)) root)
                                        (1+ (plist-get (plist-get (plist-get loc :range) :start) :line))))
                              (plist-get result :locations)))))
    (with-current-buffer (get-buffer-create "*guardline copies*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (setq default-directory root)
        (insert (mapconcat #'identity lines "\n") "\n"))
      (grep-mode)
      (display-buffer (current-buffer)))
    (length lines)))

;;;###autoload
(defun guardline-open-report ()
  "Write the HTML quality report of the workspace and open it."
  (interactive)
  (let ((path (plist-get (guardline--command "guardline.openReport") :path)))
    (browse-url (concat "file://" path))
    (message "guardline report: %s" path)))

(provide 'guardline)
;;; guardline.el ends here
