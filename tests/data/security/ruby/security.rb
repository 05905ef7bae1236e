require "openssl"
require "digest"

class ApiController < ApplicationController
  skip_before_action :verify_authenticity_token # expect: rb-csrf-disabled
end

class WebController < ApplicationController
  protect_from_forgery with: :exception # ok
end

module Acme
  DB_PASSWORD = "Pr0d-Passw0rd!2024" # expect: secret-generic
  STRIPE_KEY = "sk_live_4fK2mQ7xT4vB8nR1pL6wZ3cY" # expect: secret-stripe-key
  SETTINGS = { password: "R3dis#Cache!9", host: "cache.internal" } # expect: secret-generic
  ENV_PASSWORD = ENV["DB_PASSWORD"] # ok
  PASSWORD_PARAM = "password" # ok
  PLACEHOLDER = { api_key: "changeme" } # ok
  DATABASE_URL = "mysql2://app:Wint3rIsH3re@db.internal/app" # expect: secret-connection-string

  class Crypto
    def digest(data)
      Digest::MD5.hexdigest(data) # expect: rb-weak-hash
      Digest::SHA1.digest(data) # expect: rb-weak-hash
      OpenSSL::Digest.new("md5") # expect: rb-weak-hash
      Digest::SHA256.hexdigest(data) # ok
    end

    def cipher
      OpenSSL::Cipher.new("des-ede3-cbc") # expect: rb-weak-cipher
      OpenSSL::Cipher.new("aes-128-ecb") # expect: rb-weak-cipher
      OpenSSL::Cipher.new("aes-256-gcm") # ok
    end

    def reset_token
      token = rand(10**20).to_s(36) # expect: rb-insecure-random
      secure = SecureRandom.hex(32) # ok
      token
    end

    def backoff
      delay = rand(5) # ok
      sleep(delay)
    end
  end

  class Client
    def insecure
      http = Net::HTTP.new("api.example.org", 443)
      http.use_ssl = true
      http.verify_mode = OpenSSL::SSL::VERIFY_NONE # expect: rb-tls-verify-none
      conn = Faraday.new("https://api.example.org", ssl: { verify: false }) # expect: rb-tls-verify-none
      strict = Faraday.new("https://api.example.org", ssl: { verify: true }) # ok
      http.verify_mode = OpenSSL::SSL::VERIFY_PEER # ok
    end

    def parse(body)
      doc = Nokogiri::XML(body) { |config| config.noent } # expect: rb-xxe
      safe = Nokogiri::XML(body) # ok
    end
  end
end

class SessionsController < ApplicationController
  def create
    cookies[:sid] = session_token # expect: rb-cookie-insecure
    cookies[:pref] = { value: "dark", httponly: true } # expect: rb-cookie-insecure
    cookies[:sid2] = { value: session_token, secure: true, httponly: true, same_site: :strict } # ok
  end
end

Rails.application.config.middleware.insert_before 0, Rack::Cors do
  allow do
    origins "*" # expect: rb-cors-any-origin
    resource "*", headers: :any, methods: [:get] # ok
  end
  allow do
    origins "https://app.example.org" # ok
  end
end
