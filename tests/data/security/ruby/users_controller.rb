class UsersController < ApplicationController
  def index
    @users = User.where("name = '#{params[:name]}'") # expect: rb-sql-interpolation
    @users = User.where("email LIKE '%" + params[:q] + "%'") # expect: rb-sql-interpolation
    @users = User.order(params[:sort]) # expect: rb-sql-interpolation
    @users = User.find_by_sql("SELECT * FROM users WHERE role = '#{params[:role]}'") # expect: rb-sql-interpolation
    @users = User.where("name = ?", params[:name]) # ok
    @users = User.where(name: params[:name]) # ok
    @users = User.order(:created_at) # ok
    @users = User.where("age > #{params[:age].to_i}") # ok
    @users = User.where("active = true") # ok
  end

  def search
    term = params[:term]
    clause = build_clause(term)
    @results = Product.where(clause) # expect: rb-sql-interpolation
    ActiveRecord::Base.connection.execute("DELETE FROM carts WHERE owner = '#{term}'") # expect: rb-sql-interpolation
  end

  def build_clause(value)
    "title LIKE '%#{value}%'"
  end

  def ping
    host = params[:host]
    system("ping -c 1 #{host}") # expect: rb-command
    output = `nslookup #{host}` # expect: rb-command
    listing = %x(ls -la #{params[:dir]}) # expect: rb-command
    Open3.capture2("whois #{host}") # expect: rb-command
    system("ping", "-c", "1", host) # ok
    uptime = `uptime` # ok
    system("ls #{Shellwords.escape(host)}") # ok
  end

  def calc
    eval(params[:expr]) # expect: rb-eval
    User.instance_eval(params[:code]) # expect: rb-eval
    @user.send(params[:method]) # expect: rb-dynamic-dispatch
    klass = params[:type].constantize # expect: rb-dynamic-dispatch
    @user.send(:name) # ok
    eval("1 + 1") # ok
  end

  def restore
    state = Marshal.load(Base64.decode64(cookies[:state])) # expect: rb-deserialization
    config = YAML.load(params[:config]) # expect: rb-deserialization
    safe = YAML.safe_load(params[:config]) # ok
    data = JSON.parse(request.body.read) # ok
  end

  def show
    @bio = params[:bio].html_safe # expect: rb-html-safe
    @title = raw(params[:title]) # expect: rb-html-safe
    @static = "<b>Welcome</b>".html_safe # ok
    @clean = raw(sanitize(params[:bio])) # ok
    render inline: "<p>#{params[:msg]}</p>" # expect: rb-render-inline
  end

  def greeting
    render :show # ok
  end

  def back
    redirect_to params[:return_to] # expect: rb-tainted-redirect
    redirect_to "https://#{params[:host]}/welcome" # expect: rb-tainted-redirect
    redirect_to root_path # ok
    redirect_to user_path(@user) # ok
  end

  def download
    send_file("/srv/files/#{params[:name]}") # expect: rb-tainted-path
    content = File.read(File.join("/srv/reports", params[:report])) # expect: rb-tainted-path
    send_file("/srv/files/#{File.basename(params[:name])}") # ok
    File.read("/etc/app/settings.yml") # ok
  end

  def preview
    body = Net::HTTP.get(URI(params[:url])) # expect: rb-tainted-ssrf
    page = HTTParty.get(params[:feed]) # expect: rb-tainted-ssrf
    status = Net::HTTP.get(URI("https://api.example.org/status")) # ok
  end

  def login
    session[:role] = params[:role] # expect: rb-tainted-session
    session[:user_agent] = request.headers["User-Agent"] # expect: rb-tainted-session
    session[:visits] = 1 # ok
    session[:ip] = request.remote_ip # ok
  end

  def find_xml
    doc = Nokogiri::XML(request.body.read)
    doc.xpath("//user[@name='#{params[:name]}']") # expect: rb-xpath-injection
    doc.xpath("//user[@name=$n]", nil, n: params[:name]) # ok
    filter = Net::LDAP::Filter.construct("(uid=#{params[:uid]})") # expect: rb-ldap-injection
    eq = Net::LDAP::Filter.eq("uid", params[:uid]) # ok
  end
end
